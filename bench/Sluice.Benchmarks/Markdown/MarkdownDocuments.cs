namespace Sluice.Benchmarks.Markdown;

/// <summary>The answers the markdown benchmarks stream: the test corpus, and documents of a given size made from it.</summary>
internal static class MarkdownDocuments
{
    public const string CorpusPath = "tests/Sluice.Markdown.Tests/Corpus";

    /// <summary>The test corpus directory, found by walking up from the running program (BenchmarkDotNet runs a copy).</summary>
    public static string FindCorpus()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, CorpusPath);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"{CorpusPath} not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// An answer of about <paramref name="bytes"/> characters: the documents one after another (repeated if needed),
    /// cut at the first blank line past the size, so that the answer ends between blocks as a real one would.
    /// </summary>
    public static string OfSize(IReadOnlyList<string> documents, int bytes)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; text.Length < bytes; i++)
        {
            text.Append(documents[i % documents.Count].TrimEnd()).Append("\n\n");
        }

        var all = text.ToString();
        var cut = all.IndexOf("\n\n", bytes, StringComparison.Ordinal);
        return cut < 0 ? all : all[..(cut + 1)];
    }

    public static List<string> ReadAll(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*.md").Order(StringComparer.Ordinal).Select(File.ReadAllText)];

    /// <summary>Seeded random delta lengths between <paramref name="min"/> and <paramref name="max"/> characters.</summary>
    public static List<int> Deltas(string text, int min, int max, int seed)
    {
        var random = new Random(seed);
        var lengths = new List<int>();
        for (var position = 0; position < text.Length;)
        {
            var length = Math.Min(random.Next(min, max + 1), text.Length - position);

            // A model's delta never splits a UTF-16 surrogate pair.
            if (char.IsHighSurrogate(text[position + length - 1]) && position + length < text.Length)
            {
                length++;
            }

            lengths.Add(length);
            position += length;
        }

        return lengths;
    }
}
