using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>Pre-encoded JSON property names, so the encoder never escapes a property name per frame.</summary>
internal static class WireNames
{
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Seq = JsonEncodedText.Encode("seq");
    public static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
    public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    public static readonly JsonEncodedText StreamId = JsonEncodedText.Encode("streamId");
    public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    public static readonly JsonEncodedText Delta = JsonEncodedText.Encode("delta");
    public static readonly JsonEncodedText Arguments = JsonEncodedText.Encode("arguments");
    public static readonly JsonEncodedText Valid = JsonEncodedText.Encode("valid");
    public static readonly JsonEncodedText Errors = JsonEncodedText.Encode("errors");
    public static readonly JsonEncodedText Partial = JsonEncodedText.Encode("partial");
    public static readonly JsonEncodedText UpTo = JsonEncodedText.Encode("upTo");
    public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
    public static readonly JsonEncodedText Reasoning = JsonEncodedText.Encode("reasoning");
    public static readonly JsonEncodedText ToolCalls = JsonEncodedText.Encode("toolCalls");
    public static readonly JsonEncodedText Complete = JsonEncodedText.Encode("complete");
    public static readonly JsonEncodedText Object = JsonEncodedText.Encode("object");
    public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
    public static readonly JsonEncodedText InputTokens = JsonEncodedText.Encode("inputTokens");
    public static readonly JsonEncodedText OutputTokens = JsonEncodedText.Encode("outputTokens");
    public static readonly JsonEncodedText FinishReason = JsonEncodedText.Encode("finishReason");
    public static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    public static readonly JsonEncodedText Retryable = JsonEncodedText.Encode("retryable");
    public static readonly JsonEncodedText ResumeToken = JsonEncodedText.Encode("resumeToken");
    public static readonly JsonEncodedText RetryAfter = JsonEncodedText.Encode("retryAfter");
    public static readonly JsonEncodedText Final = JsonEncodedText.Encode("final");
    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");

    /// <summary>Writes <c>errors</c> when there are any (an absent list means none).</summary>
    public static void WriteErrors(Utf8JsonWriter writer, IReadOnlyList<string>? errors)
    {
        if (errors is { Count: > 0 })
        {
            writer.WriteStartArray(Errors);
            foreach (var error in errors)
            {
                writer.WriteStringValue(error);
            }

            writer.WriteEndArray();
        }
    }

    public static void WriteUsage(Utf8JsonWriter writer, Usage usage)
    {
        writer.WriteStartObject(Usage);
        writer.WriteNumber(InputTokens, usage.InputTokens);
        writer.WriteNumber(OutputTokens, usage.OutputTokens);
        writer.WriteEndObject();
    }
}
