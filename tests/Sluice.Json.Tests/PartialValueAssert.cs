using System.Text.Json;

namespace Sluice.Json.Tests;

/// <summary>Checks that a partial value can only grow into another.</summary>
internal static class PartialValueAssert
{
    /// <summary>Every node of the partial tree matches the final value at its place; complete nodes match it exactly.</summary>
    public static void ConsistentWith(PartialJsonNode node, JsonElement final)
    {
        Assert.Equal(final.ValueKind, node.Kind);
        switch (node)
        {
            case PartialJsonString text:
                var finalText = final.GetString()!;
                Assert.StartsWith(text.AsSpan().ToString(), finalText, StringComparison.Ordinal);
                if (text.IsComplete)
                {
                    Assert.Equal(finalText.Length, text.Length);
                }

                break;
            case PartialJsonNumber number:
                var raw = final.GetRawText();
                Assert.StartsWith(number.Text, raw, StringComparison.Ordinal);
                if (number.IsComplete)
                {
                    Assert.Equal(raw, number.Text);
                }

                break;
            case PartialJsonArray array:
                Assert.True(array.Count <= final.GetArrayLength());
                Assert.True(!array.IsComplete || array.Count == final.GetArrayLength());
                for (var i = 0; i < array.Count; i++)
                {
                    // Only the last element can still be open.
                    Assert.True(i == array.Count - 1 || array[i].IsComplete);
                    ConsistentWith(array[i], final[i]);
                }

                break;
            case PartialJsonObject obj:
                var properties = final.EnumerateObject().ToArray();
                Assert.True(obj.Count <= properties.Length);
                Assert.True(!obj.IsComplete || obj.Count == properties.Length);
                for (var i = 0; i < obj.Count; i++)
                {
                    Assert.Equal(properties[i].Name, obj[i].Key);
                    Assert.True(i == obj.Count - 1 || obj[i].Value.IsComplete);
                    ConsistentWith(obj[i].Value, properties[i].Value);
                }

                break;
        }
    }

    /// <summary>The earlier snapshot is a prefix-value of the later one: nothing shown was taken back or changed kind.</summary>
    public static void IsPrefix(string earlier, string later)
    {
        using var a = JsonDocument.Parse(earlier, new JsonDocumentOptions { MaxDepth = 1000 });
        using var b = JsonDocument.Parse(later, new JsonDocumentOptions { MaxDepth = 1000 });
        IsPrefix(a.RootElement, b.RootElement);
    }

    private static void IsPrefix(JsonElement earlier, JsonElement later)
    {
        Assert.Equal(earlier.ValueKind, later.ValueKind);
        switch (earlier.ValueKind)
        {
            case JsonValueKind.String:
                Assert.StartsWith(earlier.GetString()!, later.GetString()!, StringComparison.Ordinal);
                break;
            case JsonValueKind.Number:
                Assert.StartsWith(earlier.GetRawText(), later.GetRawText(), StringComparison.Ordinal);
                break;
            case JsonValueKind.Array:
                Assert.True(earlier.GetArrayLength() <= later.GetArrayLength());
                for (var i = 0; i < earlier.GetArrayLength(); i++)
                {
                    IsPrefix(earlier[i], later[i]);
                }

                break;
            case JsonValueKind.Object:
                var before = earlier.EnumerateObject().ToArray();
                var after = later.EnumerateObject().ToArray();
                Assert.True(before.Length <= after.Length);
                for (var i = 0; i < before.Length; i++)
                {
                    Assert.Equal(before[i].Name, after[i].Name);
                    IsPrefix(before[i].Value, after[i].Value);
                }

                break;
        }
    }
}
