using Sluice.TestSupport;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// Sluice:SendTimeout: a reader that stops reading is dropped once a write has waited that long, while a fast reader
/// of the same run goes on untouched; the run is not cancelled, and the dropped reader resumes to the exact text.
/// </summary>
public sealed class SendTimeoutTests
{
    private const int BigTokens = 1000;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StalledReader_IsDroppedAfterTheSendTimeout_FastReaderAndRunGoOn_ThenItResumesExactly()
    {
        var time = new FakeTimeProvider();
        List<StreamEvent> script = [.. Enumerable.Range(0, BigTokens).Select(i => new TokenEvent(Token(i))), new TokenEvent("!"), new DoneEvent(FinishReason.Stop, new Usage(1, BigTokens + 1))];
        var expected = string.Concat(script.OfType<TokenEvent>().Select(t => t.Content));
        var source = new GatedStreamSource(script);
        source.CloseGate();
        source.GateBefore = BigTokens; // about 2 MB of answer is out, then the run waits for the test
        await using var gateway = await TestGateway.StartAsync(source, SluiceOptions.Default with { SendTimeout = SendTimeout }, time, configure: TestGateway.SmallSendBuffers);
        using var listener = new CounterListener(gateway.Services.GetRequiredService<IMeterFactory>());

        // The fast reader takes everything up to the gate.
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await using var fastBody = await started.Content.ReadAsStreamAsync(Ct);
        var fast = new StreamAccumulator();
        await using var fastEvents = StreamEventReader.ReadAsync(fastBody, Ct).GetAsyncEnumerator(Ct);
        while (fast.LastSeq < BigTokens && await fastEvents.MoveNextAsync())
        {
            Assert.True(fast.Apply(fastEvents.Current));
        }

        var run = gateway.Runs.TryGetRun(started);

        // The stalled reader: a socket with a tiny receive buffer that asks for the whole stream and never reads.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await stalled.ConnectAsync(gateway.Client.BaseAddress!.Host, gateway.Client.BaseAddress.Port, Ct);
        var request = $"GET {started.Headers.Location} HTTP/1.1\r\nHost: {gateway.Client.BaseAddress.Authority}\r\n" +
            $"Authorization: Bearer {started.Headers.GetValues(SluiceHeaders.ResumeToken).Single()}\r\n\r\n";
        await stalled.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, Ct);
        await Eventually.TrueAsync(() => run.Subscribers == 2, "the stalled reader is attached", TestContext.Current.CancellationToken);

        // Its writes fill the socket and the response buffer; once one has to wait, the timeout runs on fake time.
        await Eventually.TrueAsync(
            () =>
            {
                time.Advance(SendTimeout);
                return listener.Total("sluice.subscribers.send_timeouts") == 1;
            },
            "the stalled reader times out", TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => run.Subscribers == 1, "the stalled reader is detached", TestContext.Current.CancellationToken);
        Assert.True(await IsClosedByServerAsync(stalled), "the server drops the stalled connection");

        // The run was not cancelled and the fast reader gets the rest, as if nothing had happened.
        Assert.False(run.IsFinished);
        source.OpenGate();
        while (await fastEvents.MoveNextAsync())
        {
            Assert.True(fast.Apply(fastEvents.Current));
        }

        Assert.Equal(FinishReason.Stop, fast.FinishReason);
        Assert.Equal(expected, fast.Text);
        Assert.Equal(0, listener.Total("sluice.runs.cancelled"));

        // The log kept its bound meanwhile; the stalled reader resumes (by snapshot: its start was evicted) exactly.
        Assert.True(gateway.Services.GetRequiredService<IReplayLog>().HeldBytes <= ReplayLogOptions.Default.MaxBytesPerStream);
        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started));
        var replay = await resumed.ReadAllEventsAsync();
        var again = new StreamAccumulator();
        foreach (var evt in replay)
        {
            Assert.True(again.Apply(evt));
        }

        Assert.IsType<SnapshotEvent>(replay[0].Event);
        Assert.Equal(expected, again.Text);
        Assert.Equal(1, listener.Total("sluice.subscribers.send_timeouts"));
    }

    [Fact]
    public void SendTimeout_DefaultIs30Seconds_NullIsNever_ZeroIsRefused()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), SluiceOptions.Default.SendTimeout);
        Assert.Null((SluiceOptions.Default with { SendTimeout = null }).SendTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => SluiceOptions.Default with { SendTimeout = TimeSpan.Zero });
    }

    /// <summary>Distinct text per token, so a lost or repeated one shows in the reassembled answer.</summary>
    private static string Token(int i) => $"[{i:D4}]" + new string((char)('a' + (i % 26)), 994);

    /// <summary>Reads what the kernel still holds for the socket until the end: FIN (0 bytes) or a reset.</summary>
    private static async Task<bool> IsClosedByServerAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, Ct) > 0)
            {
            }

            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
    }
}
