using System.Globalization;
using System.Text;

namespace Sluice.BrowserBench;

/// <summary>A long, realistic answer: headings, prose with inline formatting, lists, tables and code blocks.</summary>
internal static class AnswerCorpus
{
    public static string Build(int targetBytes)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        for (var section = 1; Encoding.UTF8.GetByteCount(text.ToString()) < targetBytes; section++)
        {
            text.AppendLine(c, $"## Part {section}: streaming without surprises").AppendLine();
            text.AppendLine(c, $"A reader sees **each token at once**, formatted as far as it can be: `inline code`, *emphasis*, ~~mistakes~~ and [links](https://example.com/{section}) included. Section {section} repeats the mix so the answer grows like a real one.").AppendLine();
            text.AppendLine("- settled blocks are rendered once");
            text.AppendLine("- the open tail is re-parsed from its last boundary");
            text.AppendLine("  - nested items continue the list").AppendLine();
            text.AppendLine("```csharp");
            text.AppendLine(c, $"static async IAsyncEnumerable<string> Part{section}Async([EnumeratorCancellation] CancellationToken ct = default)");
            text.AppendLine("{");
            text.AppendLine("    await foreach (var token in source.ReadAllAsync(ct))");
            text.AppendLine("    {");
            text.AppendLine(c, $"        yield return token + \"{section}\"; // keep the reader in sync");
            text.AppendLine("    }");
            text.AppendLine("}");
            text.AppendLine("```").AppendLine();
            text.AppendLine("| metric | value |");
            text.AppendLine("| --- | ---: |");
            text.AppendLine(c, $"| events | {section * 120} |");
            text.AppendLine(c, $"| bytes | {section * 4096} |").AppendLine();
            text.AppendLine("> A quote, because answers have them too: nothing a reader has seen may change.").AppendLine();
        }

        return text.ToString();
    }
}
