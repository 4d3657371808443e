using System.Text;
using Sluice.TestSupport;

namespace Sluice.Providers.Tests;

public sealed class StallTimeoutHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_NoBytesForTheStallTimeout_FailsAndClosesTheConnection()
    {
        // NOTE: real time with a short timeout: with FakeTimeProvider the armed read timer did not fire reliably here
        // (left for a later look); the assertion is on what happens, not on how long it took.
        await using var provider = await FakeProvider.StartAsync(Ct);
        provider.Enqueue(new FakeProviderResponse { Body = Encoding.UTF8.GetBytes("data: 1\n\ndata: 2\n\n"), PauseAfterBytes = 9 });
        using var client = new HttpClient(new StallTimeoutHandler(TimeSpan.FromMilliseconds(500)) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = provider.BaseAddress };

        using var response = await client.GetAsync("v1/messages", HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[64];
        var read = 0;
        while (read < 9)
        {
            read += await body.ReadAsync(buffer.AsMemory(read), Ct);
        }

        var error = await Assert.ThrowsAsync<UpstreamStallException>(async () => await body.ReadExactlyAsync(buffer.AsMemory(read, 1), Ct));

        Assert.Equal(TimeSpan.FromMilliseconds(500), error.StallTimeout);
    }

    [Fact]
    public async Task ReadAsync_BytesKeepComing_ReadsTheWholeBody()
    {
        await using var provider = await FakeProvider.StartAsync(Ct);
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("data: ping\r\n\r\n", 200)));
        provider.Enqueue(new FakeProviderResponse { Body = body, MaxChunk = 7, ChunkSeed = 3 });
        using var client = new HttpClient(new StallTimeoutHandler(TimeSpan.FromSeconds(30)) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = provider.BaseAddress };

        var received = await client.GetByteArrayAsync("stream", Ct);

        Assert.Equal(body, received);
    }
}
