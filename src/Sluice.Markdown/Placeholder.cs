namespace Sluice.Markdown;

internal static class Placeholder;
