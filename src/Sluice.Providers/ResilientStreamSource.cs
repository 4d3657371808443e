using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.Providers;

/// <summary>
/// Wraps a provider adapter: upstream failures it throws become the terminal <c>error</c> event for their fault
/// (<see cref="UpstreamErrors.FromException"/>), and a retryable failure before the first event is retried with
/// exponential backoff and jitter, so the client never sees an event twice.
/// </summary>
/// <remarks>Thread-safe: all per-call state lives in the enumeration.</remarks>
internal sealed class ResilientStreamSource : IStreamSource
{
    private readonly IStreamSource _inner;
    private readonly UpstreamOptions _options;
    private readonly TimeProvider _timeProvider;

    public ResilientStreamSource(IStreamSource inner, UpstreamOptions options, TimeProvider timeProvider)
    {
        _inner = inner;
        _options = options;
        _timeProvider = timeProvider;
    }

    public string DefaultModel => _inner.DefaultModel;

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delivered = false;
            ErrorEvent? failure = null;
            var enumerator = _inner.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    StreamEvent evt;
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        evt = enumerator.Current;
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && UpstreamErrors.FromException(ex) is { } error)
                    {
                        failure = error;
                        break;
                    }

                    if (!delivered && evt is ErrorEvent { Retryable: true } early && attempt < _options.MaxAttempts)
                    {
                        failure = early;
                        break;
                    }

                    delivered = true;
                    yield return evt;
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            if (failure is null)
            {
                yield break;
            }

            if (delivered || !failure.Retryable || attempt >= _options.MaxAttempts)
            {
                yield return failure;
                yield break;
            }

            await Task.Delay(Backoff(attempt, failure.RetryAfter), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = _options.InitialBackoff * Math.Pow(2, attempt - 1);
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        var wait = retryAfter is { } asked && asked > jittered ? asked : jittered;
        return wait < _options.MaxBackoff ? wait : _options.MaxBackoff;
    }
}
