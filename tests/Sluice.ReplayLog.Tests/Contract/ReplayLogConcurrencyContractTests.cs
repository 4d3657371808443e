using System.Text;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

/// <summary>One writer and several readers at once, through eviction: each reader gets the whole stream exactly once.</summary>
public abstract class ReplayLogConcurrencyContractTests : ReplayLogTestBase
{
    private const string Id = "stream-1";
    private const int EventCount = 10_000;
    private const int Readers = 4;

    [Theory]
    [InlineData(EventCount + 1, 1L << 40)]
    [InlineData(16, 2048L)]
    [InlineData(1, 1L)]
    public async Task ReadAndWait_OneWriterFourReaders_EachReaderGetsTheWholeStreamOnce(int maxEvents, long maxBytes)
    {
        var log = await CreateLogAsync(new ReplayLogOptions { MaxEventsPerStream = maxEvents, MaxBytesPerStream = maxBytes });
        var readerLog = await OtherNodeAsync(log);
        await log.CreateAsync(Id, Ct);
        var expectedText = new StringBuilder();
        for (var seq = 1; seq < EventCount - 1; seq++)
        {
            expectedText.Append(Token(seq));
        }

        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Run(() => ReadUntilCompleteAsync(readerLog), Ct)).ToArray();
        var writer = Task.Run(() => WriteAsync(log), Ct);
        await writer;
        var results = await Task.WhenAll(readers);

        foreach (var (accumulator, seqs, snapshots) in results)
        {
            Assert.True(accumulator.IsComplete);
            Assert.Equal(EventCount - 1, accumulator.LastSeq);
            Assert.Equal(expectedText.ToString(), accumulator.Text);
            Assert.Equal(FinishReason.Stop, accumulator.FinishReason);
            if (snapshots == 0)
            {
                // Nothing was skipped by a snapshot: every seq exactly once, in order.
                Assert.Equal(Enumerable.Range(0, EventCount).Select(i => (long)i), seqs);
            }
            else
            {
                Assert.True(maxEvents <= EventCount, "Without eviction no reader may get a snapshot.");
                Assert.Equal(seqs.Order(), seqs);
                Assert.Equal(seqs.Distinct().Count(), seqs.Count);
            }
        }
    }

    private static string Token(int seq) => "t" + seq + " ";

    private static async Task WriteAsync(IReplayLog log)
    {
        await log.AppendAsync(Id, new SequencedEvent(0, new StartEvent(Id, "m")), Ct);
        for (var seq = 1; seq < EventCount - 1; seq++)
        {
            await log.AppendAsync(Id, new SequencedEvent(seq, new TokenEvent(Token(seq))), Ct);

            // Appends (mostly) complete synchronously; yielding now and then lets readers catch up and wait at the head.
            if (seq % 100 == 0)
            {
                await Task.Yield();
            }
        }

        await log.AppendAsync(Id, new SequencedEvent(EventCount - 1, new DoneEvent(FinishReason.Stop, Usage.Zero)), Ct);
    }

    private static async Task<(StreamAccumulator Accumulator, List<long> Seqs, int Snapshots)> ReadUntilCompleteAsync(IReplayLog log)
    {
        var accumulator = new StreamAccumulator();
        var seqs = new List<long>(EventCount);
        var snapshots = 0;
        var page = new SequencedEvent[64];
        while (true)
        {
            var result = await log.ReadAsync(Id, accumulator.LastSeq, page, Ct);
            Assert.True(result.Found);
            for (var i = 0; i < result.Count; i++)
            {
                if (page[i].Event is SnapshotEvent)
                {
                    snapshots++;
                }
                else
                {
                    seqs.Add(page[i].Seq);
                }

                // Throws on a gap; false would mean a duplicate.
                Assert.True(accumulator.Apply(page[i]));
            }

            if (result.IsComplete && accumulator.LastSeq == result.Head)
            {
                return (accumulator, seqs, snapshots);
            }

            if (result.Count == 0)
            {
                await log.WaitForEventAfterAsync(Id, accumulator.LastSeq, Ct);
            }
        }
    }
}
