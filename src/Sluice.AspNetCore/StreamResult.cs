using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>The body of <c>GET /v1/streams/{id}/result</c>: everything accumulated so far.</summary>
internal sealed record StreamResult(
    string StreamId,
    string Status,
    string? Model,
    string Text,
    string Reasoning,
    IReadOnlyList<StreamResult.ToolCall> ToolCalls,
    StreamResult.StructuredOutput? Object,
    string? FinishReason,
    Usage? Usage,
    StreamResult.Failure? Error,
    long LastSeq)
{
    private const int ReadBatch = 256;

    /// <summary>Folds the whole log of a stream (snapshot of evicted events included) into a result; null if it is gone.</summary>
    public static async Task<StreamResult?> ReadAsync(IReplayLog log, IRunHandle run, CancellationToken cancellationToken)
    {
        var accumulator = new StreamAccumulator();
        var batch = ArrayPool<SequencedEvent>.Shared.Rent(ReadBatch);
        try
        {
            while (true)
            {
                var read = await log.ReadAsync(run.Id, accumulator.LastSeq, batch.AsMemory(0, ReadBatch), cancellationToken);
                if (!read.Found)
                {
                    return null;
                }

                for (var i = 0; i < read.Count; i++)
                {
                    accumulator.Apply(batch[i]);
                }

                if (read.Count < ReadBatch)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<SequencedEvent>.Shared.Return(batch, clearArray: true);
        }

        return new StreamResult(
            run.Id,
            accumulator.Error is not null ? "error" : accumulator.IsComplete ? "done" : "running",
            accumulator.Model,
            accumulator.Text,
            accumulator.Reasoning,
            [.. accumulator.ToolCalls.Select(c => new ToolCall(c.Id, c.Name, c.Index, c.Arguments, c.Complete, c.Valid, c.Errors))],
            accumulator.Object is { } o ? new StructuredOutput(o.Text, o.Complete, o.Value, o.Valid, o.Errors) : null,
            accumulator.FinishReason?.Value,
            accumulator.Usage,
            accumulator.Error is { } e ? new Failure(e.Code, e.Message, e.Retryable) : null,
            accumulator.LastSeq);
    }

    /// <summary>A tool call as accumulated.</summary>
    public sealed record ToolCall(string Id, string Name, int Index, string Arguments, bool Complete, bool? Valid, IReadOnlyList<string>? Errors);

    /// <summary>Structured output as accumulated: its JSON text, and once complete its value and validation result.</summary>
    public sealed record StructuredOutput(string Text, bool Complete, JsonElement? Value, bool? Valid, IReadOnlyList<string>? Errors);

    /// <summary>The terminal error, if the stream failed.</summary>
    public sealed record Failure(string Code, string Message, bool Retryable);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StreamResult))]
internal sealed partial class StreamResultJsonContext : JsonSerializerContext;
