using System.Globalization;
using System.Text;

namespace Sluice.Benchmarks.Json;

/// <summary>The two document shapes the JSON benchmarks feed: a nested itinerary, and one object holding a long string.</summary>
public static class JsonDocuments
{
    /// <summary>A nested itinerary-like object of about <paramref name="size"/> characters: days, items, nested objects.</summary>
    public static string Nested(int size)
    {
        var text = new StringBuilder("{\"trip\":{\"title\":\"Two weeks in Japan \u2014 caf\u00e9s, \u6771\u4eac and temples\",\"travellers\":2,\"days\":[");
        for (var day = 1; text.Length < size - 200; day++)
        {
            if (day > 1)
            {
                text.Append(',');
            }

            text.Append(CultureInfo.InvariantCulture, $"{{\"day\":{day},\"date\":\"2026-04-{day % 28 + 1:00}\",\"items\":[");
            for (var item = 0; item < 4; item++)
            {
                if (item > 0)
                {
                    text.Append(',');
                }

                text.Append(CultureInfo.InvariantCulture,
                    $"{{\"time\":\"{9 + item * 3:00}:30\",\"place\":\"Stop {day}.{item} near the \\\"old\\\" station\",\"notes\":\"Bring cash \\u00a5; ask for the \\ud83c\\udf63 set\\nthen walk\",\"cost\":{item * 12.5 + day},\"booked\":{(item % 2 == 0 ? "true" : "false")},\"tags\":[\"food\",\"walk\"]}}");
            }

            text.Append("]}");
        }

        return text.Append("]}}").ToString();
    }

    /// <summary>One object holding a single long string of about <paramref name="size"/> characters (a file's content).</summary>
    public static string LongString(int size)
    {
        var text = new StringBuilder("{\"path\":\"src/Program.cs\",\"content\":\"");
        for (var line = 1; text.Length < size - 20; line++)
        {
            text.Append(CultureInfo.InvariantCulture, $"    var line{line} = \\\"caf\u00e9\\\\{line}\\\"; // \\t\u6771\u4eac\\n");
        }

        return text.Append("\"}").ToString();
    }
}
