using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using Sluice.Protocol;

namespace Sluice.Providers.Tests;

public sealed class ResilientStreamSourceTests
{
    private static readonly StreamRequest Request = new([new StreamMessage(MessageRole.User, "hi")]);

    [Fact]
    public async Task StreamAsync_RetryableFailureBeforeFirstEvent_RetriesAfterBackoff()
    {
        var time = new ObservedTimeProvider();
        var inner = new AttemptsSource(
            _ => [UpstreamErrors.FromStatus(529)],
            _ => [new TokenEvent("hi"), new DoneEvent(FinishReason.Stop, Usage.Zero)]);
        var source = inner.WithUpstreamResilience(new UpstreamOptions { MaxAttempts = 3, InitialBackoff = TimeSpan.FromSeconds(1) }, time);

        var reading = ReadAllAsync(source);
        var backoff = await time.NextTimerAsync();
        Assert.Equal(1, inner.Attempts);
        Assert.InRange(backoff, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2)); // 1 s ± 20% jitter
        time.Advance(backoff);
        var events = await reading;

        Assert.Equal(2, inner.Attempts);
        Assert.Equal([new TokenEvent("hi"), new DoneEvent(FinishReason.Stop, Usage.Zero)], events);
    }

    [Fact]
    public async Task StreamAsync_FailureAfterFirstEvent_IsNotRetried()
    {
        var inner = new AttemptsSource(_ => [new TokenEvent("partial"), UpstreamErrors.FromStatus(529)]);
        var source = inner.WithUpstreamResilience(new UpstreamOptions { MaxAttempts = 3 }, new FakeTimeProvider());

        var events = await ReadAllAsync(source);

        Assert.Equal(1, inner.Attempts);
        Assert.Equal("overloaded", Assert.IsType<ErrorEvent>(events[^1]).Code);
    }

    [Fact]
    public async Task StreamAsync_NotRetryable_EndsAtOnce()
    {
        var inner = new AttemptsSource(_ => [UpstreamErrors.FromStatus(401)]);
        var source = inner.WithUpstreamResilience(new UpstreamOptions { MaxAttempts = 3 }, new FakeTimeProvider());

        var events = await ReadAllAsync(source);

        Assert.Equal(1, inner.Attempts);
        Assert.Equal("auth_failed", Assert.IsType<ErrorEvent>(Assert.Single(events)).Code);
    }

    [Fact]
    public async Task StreamAsync_AttemptsExhausted_ReportsTheLastFailure()
    {
        var time = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMinutes(1) };
        var inner = new AttemptsSource(_ => throw new HttpRequestException("refused"));
        var source = inner.WithUpstreamResilience(new UpstreamOptions { MaxAttempts = 2, InitialBackoff = TimeSpan.Zero }, time);

        var events = await ReadAllAsync(source);

        Assert.Equal(2, inner.Attempts);
        Assert.Equal("upstream_disconnected", Assert.IsType<ErrorEvent>(Assert.Single(events)).Code);
    }

    [Fact]
    public async Task StreamAsync_ThrownAfterEvents_BecomesTheErrorEvent()
    {
        var inner = new AttemptsSource(_ => [new TokenEvent("a"), Break]);
        var source = inner.WithUpstreamResilience();

        var events = await ReadAllAsync(source);

        Assert.Equal([new TokenEvent("a"), UpstreamErrors.Disconnected()], events);
    }

    [Fact]
    public async Task StreamAsync_Bug_IsNotHidden()
    {
        var source = new AttemptsSource(_ => throw new NullReferenceException()).WithUpstreamResilience();

        await Assert.ThrowsAsync<NullReferenceException>(() => ReadAllAsync(source));
    }

    private static async Task<List<StreamEvent>> ReadAllAsync(IStreamSource source)
    {
        var events = new List<StreamEvent>();
        await foreach (var evt in source.StreamAsync(Request, TestContext.Current.CancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }

    /// <summary>Stands for "the connection broke here" (compared by reference).</summary>
    private static readonly TokenEvent Break = new("(connection breaks)");

    /// <summary>A source whose n-th call plays the n-th script (the last one repeats).</summary>
    private sealed class AttemptsSource(params Func<int, StreamEvent[]>[] scripts) : IStreamSource
    {
        private readonly SemaphoreSlim _attempted = new(0);
        private int _attempts;

        public int Attempts => _attempts;

        public string DefaultModel => "m";

        public async Task WaitForAttemptsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await _attempted.WaitAsync(TestContext.Current.CancellationToken);
            }
        }

        public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            _attempted.Release();
            await Task.Yield();
            foreach (var evt in scripts[Math.Min(attempt, scripts.Length) - 1](attempt))
            {
                if (ReferenceEquals(evt, Break))
                {
                    throw new IOException("connection reset");
                }

                yield return evt;
            }
        }
    }
}
