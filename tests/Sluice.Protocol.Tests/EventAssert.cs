using System.Text.Json;

namespace Sluice.Protocol.Tests;

/// <summary>Compares events by their wire meaning (records holding lists or JSON compare by reference otherwise).</summary>
internal static class EventAssert
{
    public static void Equivalent(StreamEvent expected, StreamEvent actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(Canonical(expected), Canonical(actual));
    }

    private static string Canonical(StreamEvent evt)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        new StreamEventEncoder().Write(output, new SequencedEvent(0, evt));
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static string Json(JsonElement element) => element.GetRawText();
}
