using System.Net.Http.Json;
using Sluice.AspNetCore;
using Sluice.Protocol;
using Sluice.Providers.Simulated;
using Sluice.ReplayLog;

namespace Sluice.Client.Tests;

/// <summary>
/// The gateway's fault switch cuts every connection after N events; the client resumes by itself, and the message it
/// builds equals the uninterrupted one: no event lost, none applied twice, seqs strictly increasing.
/// </summary>
public sealed class FaultCutTests
{
    // The gateway sends retry: 0 (below), which replaces the client's own delay: it reconnects at once.
    private static readonly SluiceClientOptions Reconnecting = new() { MaxReconnectAttempts = 2 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every answer, cut after 1 to 6 events, and at a few seeded points further on.</summary>
    public static TheoryData<string, int> CutPoints()
    {
        var data = new TheoryData<string, int>();
        var random = new Random(7);
        foreach (var answer in new[] { "text", "text-live", "tool", "mixed", "mixed-snapshots" })
        {
            foreach (var cut in Enumerable.Range(1, 6).Concat([random.Next(7, 20), random.Next(20, 60), random.Next(60, 200)]))
            {
                data.Add(answer, cut);
            }
        }

        return data;
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(CutPoints))]
    public async Task Stream_CutAfterEveryNEvents_BuildsTheUninterruptedMessage(string answer, int cutAfterEvents)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await StartAsync(answer);
        using var http = gateway.CreateHttpClient();
        var client = new SluiceClient(http, Reconnecting);
        var request = answer.StartsWith("tool", StringComparison.Ordinal) ? Messages.AskForTool() : Messages.Ask("Tell me about rivers.");

        var reference = await Messages.ReadAsync(client.Open(request), ct);
        Assert.Equal(0, reference.Reconnects);

        await SetCutAsync(http, cutAfterEvents);
        var interrupted = await Messages.ReadAsync(client.Open(request), ct);

        Assert.True(interrupted.Message.IsComplete);
        if (answer == "mixed-snapshots")
        {
            // A snapshot carries no model (only start does, and a reader that lags gets a snapshot in its place).
            Assert.Equal(Messages.Describe(reference.Message, withModel: false), Messages.Describe(interrupted.Message, withModel: false));

            // How many events a connection carries depends on how far its reader lags (a snapshot stands for many),
            // but none carries fewer than 5 (a snapshot and the 4 held events), so a cut at 4 or less always lands;
            // the resume that follows is behind what the log holds, hence a snapshot.
            if (cutAfterEvents <= 4)
            {
                Assert.True(interrupted.Reconnects > 0);
                Assert.Contains(interrupted.Events, e => e.Event is SnapshotEvent);
            }
        }
        else
        {
            Assert.Equal(Messages.Describe(reference.Message), Messages.Describe(interrupted.Message));
            Assert.Equal(reference.Events[^1].Seq, interrupted.Events[^1].Seq);

            // Every seq exactly once, in order (a reader that lags gets fragments coalesced: one event covering several).
            for (var i = 1; i < interrupted.Events.Count; i++)
            {
                Assert.Equal(interrupted.Events[i - 1].Seq + 1, interrupted.Events[i].FirstSeq);
            }

            // One cut per N events: each connection brings exactly N new ones, until the one with the terminal event.
            Assert.Equal((interrupted.Events.Count - 1) / cutAfterEvents, interrupted.Reconnects);
        }
    }

    private static Task<Gateway> StartAsync(string answer)
    {
        var options = new SluiceOptions
        {
            ClientRetry = TimeSpan.Zero,
            Faults = new FaultOptions { EnableEndpoint = true },
        };
        return answer switch
        {
            "text" or "tool" => Gateway.StartAsync(options),
            "text-live" => Gateway.StartAsync(options, new SimulatedOptions { TokensPerSecond = 2000, FirstTokenDelayMs = 0 }),
            "mixed" => Gateway.StartAsync(options, source: new MixedStreamSource()),
            // A log of 4 events: a reader that comes back later than that gets a snapshot of the rest.
            "mixed-snapshots" => Gateway.StartAsync(options, source: new MixedStreamSource(), logOptions: new ReplayLogOptions { MaxEventsPerStream = 4 }),
            _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, null),
        };
    }

    private static async Task SetCutAsync(HttpClient http, int? cutAfterEvents)
    {
        using var response = await http.PostAsJsonAsync("v1/faults", new { cutAfterEvents }, Ct);
        response.EnsureSuccessStatusCode();
    }
}
