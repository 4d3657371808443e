using System.Text;

namespace Sluice.Benchmarks.Json;

/// <summary>
/// The baseline most streaming libraries use: make a prefix of JSON parseable by closing what is open (and dropping
/// what cannot be completed), then parse it whole. Run after every fragment, it rescans everything each time.
/// </summary>
public static class PrefixRepair
{
    /// <summary>The prefix, repaired into a complete JSON text (or <see langword="null"/> before anything is visible).</summary>
    public static string? Repair(string prefix)
    {
        var closers = new Stack<char>();
        var inString = false;
        var escaped = false;
        var lastSafe = 0;      // the end of the longest prefix that ends between tokens
        for (var i = 0; i < prefix.Length; i++)
        {
            var c = prefix[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                    lastSafe = i + 1;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    closers.Push('}');
                    lastSafe = i + 1;
                    break;
                case '[':
                    closers.Push(']');
                    lastSafe = i + 1;
                    break;
                case '}':
                case ']':
                    closers.Pop();
                    lastSafe = i + 1;
                    break;
                case ',':
                case ':':
                    lastSafe = i + 1;
                    break;
            }
        }

        var text = new StringBuilder(prefix.Length + closers.Count + 2);
        if (inString)
        {
            // Close the open string, without a dangling escape.
            var end = prefix.Length;
            var backslash = prefix.LastIndexOf('\\');
            if (backslash >= 0 && backslash >= end - 6)
            {
                end = backslash;
            }

            text.Append(prefix, 0, end).Append('"');
        }
        else
        {
            text.Append(prefix, 0, lastSafe);
        }

        // A trailing ',' or ':' (and the name before a ':') cannot stay.
        var trimmed = text.ToString().TrimEnd();
        if (trimmed.EndsWith(':'))
        {
            trimmed = trimmed[..trimmed[..^1].TrimEnd().LastIndexOf('"', trimmed.Length - 3)];
        }

        trimmed = trimmed.TrimEnd().TrimEnd(',');
        if (trimmed.Length == 0)
        {
            return null;
        }

        return trimmed + string.Concat(closers);
    }
}
