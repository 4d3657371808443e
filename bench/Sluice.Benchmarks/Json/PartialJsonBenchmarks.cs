using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Sluice.Json;

namespace Sluice.Benchmarks.Json;

/// <summary>
/// One JSON document fed in 4-character fragments, as tool-call arguments arrive, three ways:
/// (a) <see cref="FeedAndReadChanges"/> — Sluice's parser, reading the change set after every fragment;
/// (b) <see cref="FeedAndMaterialize"/> — Sluice's parser, materializing the whole partial value as a JsonNode after every fragment;
/// and the <see cref="RepairAndReparse"/> baseline — repair the prefix and re-parse it with System.Text.Json after every fragment.
/// </summary>
/// <remarks>
/// The baseline is quadratic, so it is skipped at 1 MB (about 100x its 100 KB time: minutes per invocation). So is
/// mode (b) on the long string at 1 MB: a JsonValue cannot grow, so every fragment inside the string copies the
/// string so far into a new one (quadratic by nature; read <see cref="PartialJsonString.AsSpan"/> instead). Skipped
/// cases return at once and show as near-zero times: they are left out of docs/BENCHMARKS.md.
/// </remarks>
[MemoryDiagnoser]
public class PartialJsonBenchmarks
{
    private const int FragmentLength = 4;

    private string _document = "";

    /// <summary>The document's size in characters.</summary>
    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Size { get; set; }

    /// <summary>Nested (an itinerary) or LongString (one object holding a file's content).</summary>
    [Params("Nested", "LongString")]
    public string Shape { get; set; } = "Nested";

    /// <summary>Builds the document.</summary>
    [GlobalSetup]
    public void Setup() => _document = Shape == "Nested" ? JsonDocuments.Nested(Size) : JsonDocuments.LongString(Size);

    /// <summary>Mode (a): feed each fragment and take the change set.</summary>
    [Benchmark]
    public int FeedAndReadChanges()
    {
        var parser = new PartialJsonParser();
        var seen = 0;
        var text = _document.AsSpan();
        for (var offset = 0; offset < text.Length; offset += FragmentLength)
        {
            parser.Feed(text.Slice(offset, Math.Min(FragmentLength, text.Length - offset)));
            foreach (var change in parser.Changes)
            {
                seen += change.Kind == PartialJsonChangeKind.Appended ? change.AppendedText.Length : 1;
            }
        }

        return parser.Complete() == PartialJsonStatus.Complete ? seen : throw new InvalidOperationException(parser.Error?.ToString());
    }

    /// <summary>Mode (b): feed each fragment and materialize the whole partial value (a live JsonNode).</summary>
    [Benchmark]
    public int FeedAndMaterialize()
    {
        if (Shape == "LongString" && Size > 100_000)
        {
            return 0;
        }

        var parser = new PartialJsonParser();
        var nodes = 0;
        var text = _document.AsSpan();
        for (var offset = 0; offset < text.Length; offset += FragmentLength)
        {
            parser.Feed(text.Slice(offset, Math.Min(FragmentLength, text.Length - offset)));
            nodes += parser.GetJsonNode() is null ? 0 : 1;
        }

        return parser.Complete() == PartialJsonStatus.Complete ? nodes : throw new InvalidOperationException(parser.Error?.ToString());
    }

    /// <summary>The baseline: repair the prefix so far and parse it whole with System.Text.Json after every fragment.</summary>
    [Benchmark(Baseline = true)]
    public int RepairAndReparse()
    {
        if (Size > 100_000)
        {
            return 0;
        }

        var parsed = 0;
        for (var end = FragmentLength; end < _document.Length + FragmentLength; end += FragmentLength)
        {
            var repaired = PrefixRepair.Repair(_document[..Math.Min(end, _document.Length)]);
            if (repaired is null)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(repaired);
                parsed++;
            }
            catch (JsonException)
            {
                // A prefix this simple repair cannot mend (a cut number or literal); the libraries skip those too.
            }
        }

        return parsed;
    }
}
