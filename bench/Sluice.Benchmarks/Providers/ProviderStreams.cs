using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Benchmarks.Providers;

/// <summary>
/// The provider streams <see cref="ProviderAdapterBenchmarks"/> reads, generated (seeded, so every run reads the same
/// bytes) in each provider's wire format as the recorded transcripts in <c>tests/Fixtures/transcripts</c> show it:
/// <see cref="Deltas"/> content deltas of 3–8 characters between the provider's usual opening and closing events.
/// </summary>
internal static class ProviderStreams
{
    /// <summary>Content deltas per stream: text pieces, or tool-call argument fragments.</summary>
    public const int Deltas = 2_000;

    /// <summary>The tool the tool-call streams call.</summary>
    public const string ToolName = "apply_edits";

    /// <summary>The tool call's id in every provider's stream.</summary>
    public const string ToolCallId = "call_bench_0001";

    // The providers write non-ASCII text as UTF-8, not as \u escapes.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Cut into pieces over and over: markdown, a newline, quotes, non-ASCII (all in the BMP, so a cut never splits a
    // surrogate pair).
    private const string Prose =
        "## Caching the lookup\n\nThe slow part is the **second** query: it runs once per row, so a page of 50 rows " +
        "makes 51 round trips. Load the prices in one `IN (…)` query, keep them in a dictionary keyed by SKU, and the " +
        "page needs two. The café's menü has “smart quotes” — and a \"plain\" one.\n\n";

    /// <summary>The text of the long text streams, as <see cref="Deltas"/> pieces of 3–8 characters.</summary>
    /// <returns>The pieces, in order.</returns>
    public static string[] TextPieces()
    {
        var random = new Random(20_240_601);
        var pieces = new string[Deltas];
        var position = 0;
        for (var i = 0; i < pieces.Length; i++)
        {
            var length = random.Next(3, 9);
            var piece = new StringBuilder(length);
            for (var j = 0; j < length; j++)
            {
                piece.Append(Prose[position]);
                position = (position + 1) % Prose.Length;
            }

            pieces[i] = piece.ToString();
        }

        return pieces;
    }

    /// <summary>
    /// The arguments of the tool-call streams: one JSON object (edits to a file: numbers, strings with escapes, a long
    /// note), cut into exactly <see cref="Deltas"/> fragments of 3–8 characters; escapes may be split between
    /// fragments, as they are on the wire.
    /// </summary>
    /// <returns>The fragments, in order.</returns>
    public static string[] ArgumentFragments()
    {
        var random = new Random(20_240_602);
        var lengths = new int[Deltas];
        var total = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = random.Next(3, 9);
            total += lengths[i];
        }

        // The object's length must be exactly the fragments' total: the edits take all but about 2 000 characters,
        // a plain-text note takes the rest.
        var json = new StringBuilder("{\"path\":\"src/Shop/PriceLookup.cs\",\"edits\":[");
        for (var line = 1; json.Length < total - 2_000; line++)
        {
            if (line > 1)
            {
                json.Append(',');
            }

            json.Append(CultureInfo.InvariantCulture, $"{{\"line\":{line * 7},\"old\":\"var price = db.Query(\\\"SELECT price FROM items WHERE sku = @sku\\\", sku);\",")
                .Append(CultureInfo.InvariantCulture, $"\"new\":\"var price = prices[sku]; // loaded once\\n\",\"replace\":{(line % 3 == 0 ? "true" : "false")}}}");
        }

        json.Append("],\"note\":\"");
        var filler = "Load every price of the page in one query and read them from a dictionary ";
        for (var i = 0; json.Length < total - 2; i++)
        {
            json.Append(filler[i % filler.Length]);
        }

        json.Append("\"}");
        var document = json.ToString();
        using (JsonDocument.Parse(document))
        {
            // Valid JSON, or the generator is wrong.
        }

        var fragments = new string[Deltas];
        var start = 0;
        for (var i = 0; i < fragments.Length; i++)
        {
            fragments[i] = document.Substring(start, lengths[i]);
            start += lengths[i];
        }

        return start == document.Length ? fragments : throw new InvalidOperationException("The fragments do not cover the arguments.");
    }

    /// <summary>Anthropic Messages: one text block of the pieces.</summary>
    /// <param name="pieces">The text deltas.</param>
    /// <returns>The SSE body.</returns>
    public static byte[] AnthropicText(string[] pieces)
    {
        var sse = new StringBuilder();
        AnthropicOpening(sse);
        AnthropicEvent(sse, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        AnthropicEvent(sse, "ping", """{"type": "ping"}""");
        foreach (var piece in pieces)
        {
            AnthropicEvent(sse, "content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Json(piece)}}}}}""");
        }

        AnthropicClosing(sse, "end_turn");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    /// <summary>Anthropic Messages: one tool_use block whose input arrives as the fragments.</summary>
    /// <param name="fragments">The <c>input_json_delta</c> fragments.</param>
    /// <returns>The SSE body.</returns>
    public static byte[] AnthropicTool(string[] fragments)
    {
        var sse = new StringBuilder();
        AnthropicOpening(sse);
        AnthropicEvent(sse, "content_block_start", $$$$"""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"{{{{ToolCallId}}}}","name":"{{{{ToolName}}}}","input":{},"caller":{"type":"direct"}}}""");
        AnthropicEvent(sse, "ping", """{"type": "ping"}""");
        foreach (var fragment in fragments)
        {
            AnthropicEvent(sse, "content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":{{{Json(fragment)}}}}}""");
        }

        AnthropicClosing(sse, "tool_use");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    /// <summary>OpenAI Chat Completions: one chunk per piece, the finish chunk, the usage chunk, <c>[DONE]</c>.</summary>
    /// <param name="pieces">The <c>delta.content</c> pieces.</param>
    /// <returns>The SSE body.</returns>
    public static byte[] ChatText(string[] pieces)
    {
        var random = new Random(7);
        var sse = new StringBuilder();
        ChatChunk(sse, """{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}""", random);
        foreach (var piece in pieces)
        {
            ChatChunk(sse, $$$"""{"index":0,"delta":{"content":{{{Json(piece)}}}},"logprobs":null,"finish_reason":null}""", random);
        }

        ChatClosing(sse, "stop", random);
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    /// <summary>OpenAI Chat Completions: one tool call (id and name first, then the argument fragments).</summary>
    /// <param name="fragments">The <c>tool_calls[0].function.arguments</c> fragments.</param>
    /// <returns>The SSE body.</returns>
    public static byte[] ChatTool(string[] fragments)
    {
        var random = new Random(8);
        var sse = new StringBuilder();
        ChatChunk(sse, """{"index":0,"delta":{"role":"assistant","content":null,"refusal":null},"logprobs":null,"finish_reason":null}""", random);
        ChatChunk(sse, $$$"""{"index":0,"delta":{"tool_calls":[{"index":0,"id":"{{{ToolCallId}}}","type":"function","function":{"name":"{{{ToolName}}}","arguments":""}}]},"logprobs":null,"finish_reason":null}""", random);
        foreach (var fragment in fragments)
        {
            ChatChunk(sse, $$$"""{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":{{{Json(fragment)}}}}}]},"logprobs":null,"finish_reason":null}""", random);
        }

        ChatClosing(sse, "tool_calls", random);
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    /// <summary>
    /// OpenAI Responses: a message item whose text arrives as the pieces; then, as the API does, the whole text again
    /// in <c>output_text.done</c>, <c>content_part.done</c>, <c>output_item.done</c> and <c>response.completed</c>.
    /// </summary>
    /// <param name="pieces">The <c>response.output_text.delta</c> pieces.</param>
    /// <returns>The SSE body.</returns>
    public static byte[] ResponsesText(string[] pieces)
    {
        var random = new Random(9);
        var text = Json(string.Concat(pieces));
        var sse = new StringBuilder();
        var seq = ResponsesOpening(sse);
        const string ItemId = "msg_bench_0001";
        ResponsesEvent(sse, "response.output_item.added", $$$"""{"type":"response.output_item.added","sequence_number":{{{seq++}}},"output_index":0,"item":{"id":"{{{ItemId}}}","type":"message","status":"in_progress","content":[],"role":"assistant"}}""");
        ResponsesEvent(sse, "response.content_part.added", $$$"""{"type":"response.content_part.added","sequence_number":{{{seq++}}},"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}""");
        foreach (var piece in pieces)
        {
            ResponsesEvent(sse, "response.output_text.delta", $$$"""{"type":"response.output_text.delta","sequence_number":{{{seq++}}},"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"delta":{{{Json(piece)}}},"logprobs":[],"obfuscation":"{{{Obfuscation(random)}}}"}""");
        }

        ResponsesEvent(sse, "response.output_text.done", $$$"""{"type":"response.output_text.done","sequence_number":{{{seq++}}},"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"text":{{{text}}},"logprobs":[]}""");
        ResponsesEvent(sse, "response.content_part.done", $$$"""{"type":"response.content_part.done","sequence_number":{{{seq++}}},"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":{{{text}}}}}""");
        var item = $$$"""{"id":"{{{ItemId}}}","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":{{{text}}}}],"role":"assistant"}""";
        ResponsesEvent(sse, "response.output_item.done", $$$"""{"type":"response.output_item.done","sequence_number":{{{seq++}}},"output_index":0,"item":{{{item}}}}""");
        ResponsesCompleted(sse, seq, item);
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    /// <summary>
    /// OpenAI Responses: a function_call item whose arguments arrive as the fragments; then the whole arguments again in
    /// <c>function_call_arguments.done</c>, <c>output_item.done</c> and <c>response.completed</c>.
    /// </summary>
    /// <param name="fragments">The <c>response.function_call_arguments.delta</c> fragments.</param>
    /// <returns>The SSE body.</returns>
    public static byte[] ResponsesTool(string[] fragments)
    {
        var random = new Random(10);
        var arguments = Json(string.Concat(fragments));
        var sse = new StringBuilder();
        var seq = ResponsesOpening(sse);
        const string ItemId = "fc_bench_0001";
        ResponsesEvent(sse, "response.output_item.added", $$$"""{"type":"response.output_item.added","sequence_number":{{{seq++}}},"output_index":0,"item":{"id":"{{{ItemId}}}","type":"function_call","status":"in_progress","arguments":"","call_id":"{{{ToolCallId}}}","name":"{{{ToolName}}}"}}""");
        foreach (var fragment in fragments)
        {
            ResponsesEvent(sse, "response.function_call_arguments.delta", $$$"""{"type":"response.function_call_arguments.delta","sequence_number":{{{seq++}}},"item_id":"{{{ItemId}}}","output_index":0,"delta":{{{Json(fragment)}}},"obfuscation":"{{{Obfuscation(random)}}}"}""");
        }

        ResponsesEvent(sse, "response.function_call_arguments.done", $$$"""{"type":"response.function_call_arguments.done","sequence_number":{{{seq++}}},"item_id":"{{{ItemId}}}","output_index":0,"arguments":{{{arguments}}}}""");
        var item = $$$"""{"id":"{{{ItemId}}}","type":"function_call","status":"completed","arguments":{{{arguments}}},"call_id":"{{{ToolCallId}}}","name":"{{{ToolName}}}"}""";
        ResponsesEvent(sse, "response.output_item.done", $$$"""{"type":"response.output_item.done","sequence_number":{{{seq++}}},"output_index":0,"item":{{{item}}}}""");
        ResponsesCompleted(sse, seq, item);
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    private static string Json(string value) => JsonSerializer.Serialize(value, Relaxed);

    private static void AnthropicEvent(StringBuilder sse, string type, string data) =>
        sse.Append("event: ").Append(type).Append("\ndata: ").Append(data).Append("\n\n");

    private static void AnthropicOpening(StringBuilder sse) =>
        AnthropicEvent(sse, "message_start", """{"type":"message_start","message":{"id":"msg_bench_0001","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":512,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}""");

    private static void AnthropicClosing(StringBuilder sse, string stopReason)
    {
        AnthropicEvent(sse, "content_block_stop", """{"type":"content_block_stop","index":0}""");
        AnthropicEvent(sse, "message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}","stop_sequence":null},"usage":{"output_tokens":{{{Deltas}}}}}""");
        AnthropicEvent(sse, "message_stop", """{"type":"message_stop"}""");
    }

    private static void ChatChunk(StringBuilder sse, string choice, Random random) =>
        ChatData(sse, $$$"""{"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1770950778,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench01","choices":[{{{choice}}}],"usage":null,"obfuscation":"{{{Obfuscation(random)}}}"}""");

    private static void ChatClosing(StringBuilder sse, string finishReason, Random random)
    {
        ChatChunk(sse, $$$"""{"index":0,"delta":{},"logprobs":null,"finish_reason":"{{{finishReason}}}"}""", random);
        ChatData(sse, $$$"""{"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1770950778,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench01","choices":[],"usage":{"prompt_tokens":512,"completion_tokens":{{{Deltas}}},"total_tokens":{{{512 + Deltas}}},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"{{{Obfuscation(random)}}}"}""");
        sse.Append("data: [DONE]\n\n");
    }

    private static void ChatData(StringBuilder sse, string data) => sse.Append("data: ").Append(data).Append("\n\n");

    // OpenAI pads stream events with a random-length "obfuscation" string (stream_options.include_obfuscation, on by
    // default), so the recorded streams carry one; the SDK keeps it as an unknown property.
    private static string Obfuscation(Random random)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[random.Next(2, 16)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    private static void ResponsesEvent(StringBuilder sse, string type, string data) => AnthropicEvent(sse, type, data);

    private static string ResponseObject(string status, string output, string usage) =>
        $$$"""{"id":"resp_bench_0001","object":"response","created_at":1764777657,"status":"{{{status}}}","background":false,"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"max_tool_calls":null,"model":"gpt-4o-mini-2024-07-18","output":[{{{output}}}],"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":null,"summary":null},"safety_identifier":null,"service_tier":"default","store":true,"temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":{{{usage}}},"user":null,"metadata":{}}""";

    private static int ResponsesOpening(StringBuilder sse)
    {
        var response = ResponseObject("in_progress", string.Empty, "null");
        ResponsesEvent(sse, "response.created", $$$"""{"type":"response.created","sequence_number":0,"response":{{{response}}}}""");
        ResponsesEvent(sse, "response.in_progress", $$$"""{"type":"response.in_progress","sequence_number":1,"response":{{{response}}}}""");
        return 2;
    }

    private static void ResponsesCompleted(StringBuilder sse, int seq, string item)
    {
        var usage = $$$"""{"input_tokens":512,"input_tokens_details":{"cached_tokens":0},"output_tokens":{{{Deltas}}},"output_tokens_details":{"reasoning_tokens":0},"total_tokens":{{{512 + Deltas}}}}""";
        ResponsesEvent(sse, "response.completed", $$$"""{"type":"response.completed","sequence_number":{{{seq}}},"response":{{{ResponseObject("completed", item, usage)}}}}""");
    }
}
