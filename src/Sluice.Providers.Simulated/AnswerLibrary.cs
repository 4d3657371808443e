using System.Reflection;

namespace Sluice.Providers.Simulated;

/// <summary>The built-in markdown answers, embedded from <c>Answers/*.md</c>.</summary>
internal static class AnswerLibrary
{
    private const string ResourcePrefix = "Sluice.Providers.Simulated.Answers.";

    private static readonly Lazy<IReadOnlyList<Answer>> Answers = new(Load);

    /// <summary>Every answer, ordered by name so that a hash picks the same one on every machine.</summary>
    public static IReadOnlyList<Answer> All => Answers.Value;

    /// <summary>The answer for a prompt hash.</summary>
    public static Answer Pick(ulong promptHash) => All[(int)(promptHash % (ulong)All.Count)];

    /// <summary>The answer with this name (e.g. <c>python-retry</c>), or <see langword="null"/>.</summary>
    public static Answer? Find(string name) => All.FirstOrDefault(answer => answer.Name == name);

    private static List<Answer> Load()
    {
        var assembly = typeof(AnswerLibrary).Assembly;
        var answers = new List<Answer>();
        foreach (var resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) ||
                !resource.EndsWith(".md", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..^".md".Length];
            answers.Add(new Answer(name, Read(assembly, resource)));
        }

        return answers.Count > 0 ? answers : throw new InvalidOperationException("No embedded answers were found.");
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);

        // A Windows checkout may turn LF into CRLF; normalizing keeps answers, token counts and hashes identical
        // everywhere. The file's final newline is an editor convention, not part of the answer.
        return reader.ReadToEnd().ReplaceLineEndings("\n").TrimEnd('\n');
    }
}
