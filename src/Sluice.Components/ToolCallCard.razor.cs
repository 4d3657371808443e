using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Sluice.Client;

namespace Sluice.Components;

/// <summary>
/// One tool call: its name, its arguments filling in as they stream (pretty-printed as far as they parse, the raw text
/// once they stop being JSON) and a badge that says whether the call is still streaming, done, valid or invalid, with
/// the validation errors.
/// </summary>
/// <remarks>Everything is rendered as text: the model's arguments never become markup.</remarks>
public sealed partial class ToolCallCard : ComponentBase
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,

        // Shown as text (the renderer escapes it), so non-ASCII characters and <, > and & stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The call, as the message state keeps it up to date.</summary>
    [Parameter, EditorRequired]
    public ToolCallView Call { get; set; } = default!;

    private CallStatus Status => Call switch
    {
        { Complete: true, State.Valid: true } => CallStatus.Valid,
        { Complete: true, State.Valid: false } => CallStatus.Invalid,
        { ParseError: not null } => CallStatus.Invalid,
        { Complete: true } => CallStatus.Done,
        _ => CallStatus.Streaming,
    };

    private IEnumerable<string> Errors
    {
        get
        {
            if (Call.State.Errors is { } errors)
            {
                foreach (var error in errors)
                {
                    yield return error;
                }
            }

            if (Call.ParseError is { } parseError && Call.State.Valid != true)
            {
                yield return "Not JSON " + parseError;
            }
        }
    }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Call is null)
        {
            throw new InvalidOperationException($"{nameof(ToolCallCard)} needs a {nameof(Call)}.");
        }
    }

    private static string StatusName(CallStatus status) => status switch
    {
        CallStatus.Valid => "valid",
        CallStatus.Invalid => "invalid",
        CallStatus.Done => "done",
        _ => "streaming",
    };

    private static string StatusLabel(CallStatus status) => status switch
    {
        CallStatus.Valid => "valid",
        CallStatus.Invalid => "invalid",
        CallStatus.Done => "done",
        _ => "streaming…",
    };

    /// <summary>The arguments as far as they parse, indented; the raw text when they do not parse (or not yet).</summary>
    private string ArgumentsText()
    {
        if (Call.ParseError is null && Call.PartialArguments is { } node)
        {
            return Format(node);
        }

        return Call.Arguments;
    }

    private static string Format(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            node.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private enum CallStatus
    {
        Streaming,
        Done,
        Valid,
        Invalid,
    }
}
