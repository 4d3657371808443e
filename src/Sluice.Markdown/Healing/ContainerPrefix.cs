namespace Sluice.Markdown.Healing;

/// <summary>Strips what opens or continues containers at the start of a line: indentation, <c>&gt;</c>, list markers.</summary>
internal static class ContainerPrefix
{
    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> line)
    {
        while (true)
        {
            line = line.TrimStart(" \t");
            if (line.StartsWith('>'))
            {
                // Spec 5.1: a block quote marker is '>' and an optional following space.
                line = line[1..];
                continue;
            }

            var marker = ListMarkerLength(line);
            if (marker == 0)
            {
                return line;
            }

            line = line[marker..];
        }
    }

    // Spec 5.2: a bullet marker ('-', '+', '*') or 1-9 digits and '.' or ')', followed by a space or tab.
    private static int ListMarkerLength(ReadOnlySpan<char> line)
    {
        var length = 0;
        if (line.Length > 0 && line[0] is '-' or '+' or '*')
        {
            length = 1;
        }
        else
        {
            while (length < line.Length && length < 9 && char.IsAsciiDigit(line[length]))
            {
                length++;
            }

            if (length == 0 || length == line.Length || line[length] is not ('.' or ')'))
            {
                return 0;
            }

            length++;
        }

        return length < line.Length && line[length] is ' ' or '\t' ? length + 1 : 0;
    }
}
