using ColorCode;

namespace Sluice.Markdown.Highlighting;

/// <summary>Maps a fence's info word (<c>py</c>, <c>ts</c>, <c>c#</c>) to a ColorCode language, or null.</summary>
internal static class LanguageMap
{
    // ColorCode knows its languages by id ("c#", "python", "typescript"); models write the short names people use.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cs"] = "c#", ["csharp"] = "c#",
        ["js"] = "javascript", ["jsx"] = "javascript", ["mjs"] = "javascript", ["node"] = "javascript",
        ["ts"] = "typescript", ["tsx"] = "typescript",
        ["py"] = "python", ["python3"] = "python",
        ["htm"] = "html",
        ["xaml"] = "xml", ["csproj"] = "xml",
        ["c"] = "cpp", ["c++"] = "cpp", ["h"] = "cpp", ["hpp"] = "cpp", ["cc"] = "cpp",
        ["ps1"] = "powershell", ["pwsh"] = "powershell",
        ["fs"] = "f#", ["fsharp"] = "f#",
        ["hs"] = "haskell",
        ["vb"] = "vb.net", ["vbnet"] = "vb.net",
        ["md"] = "markdown",
    };

    public static ILanguage? Find(string? info)
    {
        if (string.IsNullOrEmpty(info))
        {
            return null;
        }

        return Languages.FindById(Aliases.GetValueOrDefault(info, info));
    }
}
