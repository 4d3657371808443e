using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;
using Sluice.ReplayLog;
using Sluice.TestSupport;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// Readers that fall behind: fragments already in the log reach them coalesced (few frames), a reader that keeps up
/// gets one frame per event, and with <see cref="BackpressurePolicy.Pause"/> a stalled reader stops the run from reading
/// its provider until it drains.
/// </summary>
public sealed class BackpressureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LaggingReader_GetsTheWaitingTokensAsOneCoalescedEvent_ThenLiveEventsOneByOne()
    {
        var source = new ChannelStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, coalesce: true);
        var tokens = Enumerable.Range(0, 50).Select(i => $"t{i} ").ToArray();

        // The first reader keeps up: each event is written only after it has received the one before.
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await using var live = StreamEventReader.ReadAsync(await started.Content.ReadAsStreamAsync(Ct), Ct).GetAsyncEnumerator(Ct);
        Assert.True(await live.MoveNextAsync());
        Assert.IsType<StartEvent>(live.Current.Event);
        foreach (var token in tokens)
        {
            await source.Writer.WriteAsync(new TokenEvent(token), Ct);
            Assert.True(await live.MoveNextAsync());
            Assert.Equal((live.Current.FirstSeq, live.Current.Seq), (live.Current.Seq, live.Current.Seq)); // one event, one frame
            Assert.Equal(token, Assert.IsType<TokenEvent>(live.Current.Event).Content);
        }

        // A second reader comes from the start: the 50 tokens wait in the log and come as one event covering 1..50.
        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started));
        await using var behind = StreamEventReader.ReadAsync(await resumed.Content.ReadAsStreamAsync(Ct), Ct).GetAsyncEnumerator(Ct);
        Assert.True(await behind.MoveNextAsync());
        Assert.IsType<StartEvent>(behind.Current.Event);
        Assert.True(await behind.MoveNextAsync());
        Assert.Equal((1L, 50L), (behind.Current.FirstSeq, behind.Current.Seq));
        Assert.Equal(string.Concat(tokens), Assert.IsType<TokenEvent>(behind.Current.Event).Content);

        // Caught up, it gets the next event on its own, as the first reader does.
        await source.Writer.WriteAsync(new TokenEvent("end"), Ct);
        source.Writer.Complete();
        foreach (var reader in new[] { live, behind })
        {
            Assert.True(await reader.MoveNextAsync());
            Assert.Equal(new SequencedEvent(51, new TokenEvent("end")), reader.Current);
            Assert.True(await reader.MoveNextAsync());
            Assert.IsType<DoneEvent>(reader.Current.Event);
        }
    }

    [Theory]
    [InlineData(BackpressurePolicy.Pause)]
    [InlineData(BackpressurePolicy.Continue)]
    public async Task StalledReader_PausePolicyBlocksTheProvidersWritesUntilItDrains_ContinueDoesNot(BackpressurePolicy policy)
    {
        const int Tokens = 2000; // about 2 MB of answer: far more than the socket and response buffers hold
        var source = new ChannelStreamSource();
        var options = SluiceOptions.Default with
        {
            SendTimeout = null, // this reader stalls on purpose; the send timeout has its own test
            Backpressure = new BackpressureOptions { Policy = policy, MaxLag = 8 },
        };
        await using var gateway = await TestGateway.StartAsync(source, options, configure: TestGateway.SmallSendBuffers, coalesce: true);
        using var listener = new CounterListener(gateway.Services.GetRequiredService<IMeterFactory>());
        var log = gateway.Services.GetRequiredService<IReplayLog>();

        // The reader: a connection with a tiny receive buffer, whose body the test does not read for now.
        using var stalledClient = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectWithSmallReceiveBufferAsync }) { BaseAddress = gateway.Client.BaseAddress };
        using var started = await stalledClient.SendStreamingAsync(SseClient.Post());
        var run = gateway.Runs.TryGetRun(started);

        var written = 0;
        var provider = Task.Run(
            async () =>
            {
                for (var i = 0; i < Tokens; i++)
                {
                    await source.Writer.WriteAsync(new TokenEvent(Token(i)), Ct);
                    written++;
                }

                source.Writer.Complete();
            },
            Ct);

        if (policy == BackpressurePolicy.Pause)
        {
            // The run stops taking events: the provider's next write waits in the full slot, far from the end.
            await Eventually.TrueAsync(() => run.IsPaused && source.IsFull, "the run pauses with the provider's write waiting", Ct);
            Assert.False(provider.IsCompleted);
            Assert.InRange(Volatile.Read(ref written), 1, Tokens / 4);
            Assert.True(listener.Total("sluice.runs.paused") >= 1);
            Assert.InRange(log.HeldBytes!.Value, 1, ReplayLogOptions.Default.MaxBytesPerStream / 4);
        }
        else
        {
            // The run reads on: every write completes although nobody reads, and the log holds up to its bound.
            await provider.WaitAsync(Ct);
            await run.Completion.WaitAsync(Ct);
            Assert.Equal(0, listener.Total("sluice.runs.paused"));
            Assert.InRange(log.HeldBytes!.Value, ReplayLogOptions.Default.MaxBytesPerStream / 2, ReplayLogOptions.Default.MaxBytesPerStream);
        }

        // The reader drains: every write completes and the text is exact (by snapshot for Continue: its start was evicted).
        var received = new StreamAccumulator();
        await foreach (var evt in StreamEventReader.ReadAsync(await started.Content.ReadAsStreamAsync(Ct), Ct))
        {
            Assert.True(received.Apply(evt));
        }

        await provider.WaitAsync(Ct);
        Assert.Equal(string.Concat(Enumerable.Range(0, Tokens).Select(Token)), received.Text);
        Assert.Equal(FinishReason.Stop, received.FinishReason);
    }

    /// <summary>Distinct text per token, so a lost or repeated one shows in the reassembled answer.</summary>
    private static string Token(int i) => $"[{i:D4}]" + new string((char)('a' + (i % 26)), 994);

    private static async ValueTask<Stream> ConnectWithSmallReceiveBufferAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024, NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
