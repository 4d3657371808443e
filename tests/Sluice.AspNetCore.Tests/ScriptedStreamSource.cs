using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

/// <summary>A provider whose events the test releases one by one, and which records what it was asked and whether it was cancelled.</summary>
internal sealed class ScriptedStreamSource : IStreamSource
{
    private readonly Channel<StreamEvent> _events = Channel.CreateUnbounded<StreamEvent>();
    private readonly TaskCompletionSource<StreamRequest> _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string DefaultModel => "scripted-model";

    /// <summary>Completes with the request when the run calls the provider.</summary>
    public Task<StreamRequest> Requested => _requested.Task;

    /// <summary>Completes when the run's cancellation token reaches the provider.</summary>
    public Task Cancelled => _cancelled.Task;

    public void Release(StreamEvent evt) => Assert.True(_events.Writer.TryWrite(evt));

    public void Finish() => _events.Writer.TryComplete();

    public void Fail(Exception exception) => _events.Writer.TryComplete(exception);

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _requested.TrySetResult(request);
        // The registration covers a cancel while the caller holds an event; the finally covers a cancel that ends
        // the wait below inline, which can dispose the registration before its callback gets to run.
        using var registration = cancellationToken.Register(() => _cancelled.TrySetResult());
        try
        {
            while (await _events.Reader.WaitToReadAsync(cancellationToken))
            {
                while (_events.Reader.TryRead(out var evt))
                {
                    yield return evt;
                }
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _cancelled.TrySetResult();
            }
        }
    }
}
