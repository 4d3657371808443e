namespace Sluice.AspNetCore.Dialects;

/// <summary>One tool call as a response has sent it: its name (the AI SDK needs it again at the end), argument characters, whether ended.</summary>
/// <param name="name">The tool's name.</param>
internal sealed class SentToolCall(string name)
{
    public string Name { get; } = name;

    public int ArgumentsLength { get; set; }

    public bool Ended { get; set; }
}
