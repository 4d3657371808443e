using System.Net.ServerSentEvents;
using Anthropic;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Responses;
using Sluice.Protocol;
using Sluice.Providers;
using Sluice.Providers.Anthropic;
using Sluice.Providers.OpenAI;
using MessageRole = Sluice.Protocol.MessageRole;

namespace Sluice.Benchmarks.Providers;

/// <summary>The provider stream a <see cref="ProviderAdapterBenchmarks"/> case reads.</summary>
public enum ProviderWorkload
{
    /// <summary>Anthropic Messages, one text block in <see cref="ProviderStreams.Deltas"/> <c>text_delta</c>s.</summary>
    AnthropicText,

    /// <summary>Anthropic Messages, one tool_use block whose input arrives in <see cref="ProviderStreams.Deltas"/> <c>input_json_delta</c>s.</summary>
    AnthropicTool,

    /// <summary>OpenAI Chat Completions, one chunk per text piece.</summary>
    ChatText,

    /// <summary>OpenAI Chat Completions, one tool call whose arguments arrive in <see cref="ProviderStreams.Deltas"/> chunks.</summary>
    ChatTool,

    /// <summary>OpenAI Responses, one message item in <c>output_text.delta</c>s.</summary>
    ResponsesText,

    /// <summary>OpenAI Responses, one function_call item in <c>function_call_arguments.delta</c>s.</summary>
    ResponsesTool,
}

/// <summary>
/// What a provider adapter costs per event: the same SSE bytes read three ways in the same run, by the bare
/// <see cref="SseParser"/> (the floor: both SDKs parse SSE with it), by the provider's SDK alone, and by Sluice's adapter
/// (the SDK plus the mapping to <see cref="StreamEvent"/>s).
/// </summary>
/// <remarks>
/// <para>
/// Each stream holds <see cref="ProviderStreams.Deltas"/> content deltas (text pieces or tool-call argument fragments)
/// between the provider's usual opening and closing events (3 to 8 more SSE events, plus <c>[DONE]</c> for Chat
/// Completions); every benchmark reads the whole stream and declares <c>OperationsPerInvoke = Deltas</c>, so time and
/// allocated bytes are per delta, the per-call costs (request mapping and serialization, the HTTP pipeline, the closing
/// events) spread over the 2 000.
/// </para>
/// <para>
/// No sockets: the SDK clients are built by the adapters' own factories (<c>CreateClient</c>,
/// <c>OpenAIClientFactory</c>), so the production handler chain is kept (Anthropic: the header handler and
/// <see cref="StallTimeoutHandler"/>; OpenAI: the cancel-on-abort handler and <see cref="StallTimeoutHandler"/>), with
/// <see cref="CannedSseHandler"/> in place of the <see cref="SocketsHttpHandler"/> at the bottom. The body is a
/// <see cref="MemoryStream"/>, so every read is served at once and in large blocks: the stall handler's per-read cost
/// (two CancellationTokenSources and a timer re-arm) is paid a few dozen times per call here, but about once per event
/// on a real connection, where events arrive in their own packets.
/// </para>
/// <para>
/// The three ways:
/// </para>
/// <list type="bullet">
/// <item><see cref="BareSseParser"/> (baseline): <c>SseParser.Create(stream).EnumerateAsync()</c> over the bytes,
/// reading each item's <c>Data</c> (a string).</item>
/// <item><see cref="SdkOnly"/>: the SDK client's streaming call with the request as the adapter maps it, reading each
/// delta's text or argument fragment and nothing else: the least any consumer of the SDK does.</item>
/// <item><see cref="Adapter"/>: the adapter's <see cref="IStreamSource.StreamAsync"/>, reading each event. The bare
/// adapter, as <c>AddSluiceAnthropic</c>/<c>AddSluiceOpenAI</c> build it before wrapping it in
/// <c>WithUpstreamResilience</c> (one more async iterator layer per event, not measured here).</item>
/// </list>
/// <para>
/// <c>Adapter - SdkOnly</c> is Sluice's mapping; <c>SdkOnly - BareSseParser</c> is the SDK (HTTP pipeline, JSON
/// deserialization into its models). <c>[GlobalSetup]</c> checks that the adapter yields exactly the expected events
/// and that the SDK pass reads every delta.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD200:Use \"Async\" suffix for async methods", Justification = "Benchmark rows are named after the methods.")]
public class ProviderAdapterBenchmarks
{
    private const string ApiKey = "sk-bench-not-a-key";

    private byte[] _body = [];
    private StreamRequest _request = null!;
    private IStreamSource _adapter = null!;
    private HttpMessageHandler? _transport;
    private AnthropicClient? _anthropic;
    private AnthropicProviderOptions _anthropicOptions = new() { ApiKey = ApiKey };
    private OpenAIClient? _chat;
    private ResponsesClient? _responses;
    private string _openAIModel = OpenAIProviderOptions.DefaultModelName;
    private long _payloadLength;

    /// <summary>The provider stream.</summary>
    [ParamsAllValues]
    public ProviderWorkload Workload { get; set; }

    private bool IsTool => Workload is ProviderWorkload.AnthropicTool or ProviderWorkload.ChatTool or ProviderWorkload.ResponsesTool;

    /// <summary>Builds the stream and the clients for <see cref="Workload"/>, and checks what each side reads.</summary>
    /// <returns>A task that completes when the checks have passed.</returns>
    /// <exception cref="InvalidOperationException">The adapter or the SDK did not read the stream as expected.</exception>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var pieces = IsTool ? ProviderStreams.ArgumentFragments() : ProviderStreams.TextPieces();
        _payloadLength = pieces.Sum(piece => (long)piece.Length);
        _body = Workload switch
        {
            ProviderWorkload.AnthropicText => ProviderStreams.AnthropicText(pieces),
            ProviderWorkload.AnthropicTool => ProviderStreams.AnthropicTool(pieces),
            ProviderWorkload.ChatText => ProviderStreams.ChatText(pieces),
            ProviderWorkload.ChatTool => ProviderStreams.ChatTool(pieces),
            ProviderWorkload.ResponsesText => ProviderStreams.ResponsesText(pieces),
            _ => ProviderStreams.ResponsesTool(pieces),
        };

        _request = IsTool
            ? new StreamRequest([new StreamMessage(MessageRole.User, "Make the price lookup load every price of the page in one query.")])
            {
                Tools = [new ToolDefinition(ProviderStreams.ToolName, "Applies line edits to one file.", System.Text.Json.JsonDocument.Parse(
                    """{"type":"object","properties":{"path":{"type":"string"},"edits":{"type":"array"},"note":{"type":"string"}},"required":["path","edits"]}""").RootElement)],
            }
            : new StreamRequest([new StreamMessage(MessageRole.User, "Why is this page slow, and how do I fix it?")]);

        _transport = new CannedSseHandler(_body);
        var upstream = UpstreamOptions.Default;
        switch (Workload)
        {
            case ProviderWorkload.AnthropicText or ProviderWorkload.AnthropicTool:
                _anthropic = AnthropicServiceCollectionExtensions.CreateClient(_anthropicOptions, upstream, TimeProvider.System, _transport);
                _adapter = new AnthropicStreamSource(_anthropic, _anthropicOptions);
                break;
            case ProviderWorkload.ChatText or ProviderWorkload.ChatTool:
                var chatOptions = new OpenAIProviderOptions { ApiKey = ApiKey };
                _openAIModel = chatOptions.Model;
                _chat = OpenAIClientFactory.CreateOpenAIClient(ApiKey, chatOptions, upstream, TimeProvider.System, _transport);
                _adapter = new ChatCompletionsStreamSource(_chat, chatOptions.Model, TimeProvider.System);
                break;
            default:
                var responsesOptions = new OpenAIProviderOptions { ApiKey = ApiKey };
                _openAIModel = responsesOptions.Model;
                _responses = OpenAIClientFactory.CreateResponsesClient(ApiKey, responsesOptions, upstream, TimeProvider.System, _transport);
                _adapter = new ResponsesStreamSource(_responses, responsesOptions.Model, TimeProvider.System);
                break;
        }

        await CheckAsync(pieces);
    }

    /// <summary>Releases the clients' transport.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _anthropic?.Dispose();
        _transport?.Dispose();
    }

    /// <summary>The floor: the in-box SSE parser over the same bytes, reading every item's data.</summary>
    /// <returns>The total length of the items' data, so the work cannot be skipped.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = ProviderStreams.Deltas)]
    public async Task<long> BareSseParser()
    {
        long total = 0;
        using var stream = new MemoryStream(_body, writable: false);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            total += item.Data.Length;
        }

        return total;
    }

    /// <summary>The provider's SDK alone: its streaming call, reading each delta's payload.</summary>
    /// <returns>The total length of the payloads read.</returns>
    [Benchmark(OperationsPerInvoke = ProviderStreams.Deltas)]
    public Task<long> SdkOnly() => Workload switch
    {
        ProviderWorkload.AnthropicText or ProviderWorkload.AnthropicTool => AnthropicSdkAsync(),
        ProviderWorkload.ChatText or ProviderWorkload.ChatTool => ChatSdkAsync(),
        _ => ResponsesSdkAsync(),
    };

    /// <summary>Sluice's adapter: the SDK plus the mapping to stream events.</summary>
    /// <returns>The total length of the token and argument-fragment events' content, plus one per other event.</returns>
    [Benchmark(OperationsPerInvoke = ProviderStreams.Deltas)]
    public async Task<long> Adapter()
    {
        long total = 0;
        await foreach (var streamEvent in _adapter.StreamAsync(_request))
        {
            total += streamEvent switch
            {
                TokenEvent token => token.Content.Length,
                ToolCallDeltaEvent delta => delta.Delta.Length,
                _ => 1,
            };
        }

        return total;
    }

    private async Task<long> AnthropicSdkAsync()
    {
        var parameters = AnthropicRequestMapper.Map(_request, _anthropicOptions);
        long total = 0;
        await foreach (var raw in _anthropic!.Messages.CreateStreaming(parameters))
        {
            if (raw.TryPickContentBlockDelta(out var delta))
            {
                if (delta.Delta.TryPickText(out var text))
                {
                    total += text.Text.Length;
                }
                else if (delta.Delta.TryPickInputJson(out var json))
                {
                    total += json.PartialJson.Length;
                }
            }
        }

        return total;
    }

    private async Task<long> ChatSdkAsync()
    {
        var messages = ChatRequestMapper.MapMessages(_request);
        var options = ChatRequestMapper.MapOptions(_request);
        long total = 0;
        await foreach (var update in _chat!.GetChatClient(_openAIModel).CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                total += part.Text?.Length ?? 0;
            }

            foreach (var call in update.ToolCallUpdates)
            {
                total += call.FunctionArgumentsUpdate?.ToString().Length ?? 0;
            }
        }

        return total;
    }

    private async Task<long> ResponsesSdkAsync()
    {
        var options = ResponsesRequestMapper.Map(_request, _openAIModel);
        long total = 0;
        var result = await _responses!.CreateResponseStreamingAsync(options);
        try
        {
            await foreach (var update in (IAsyncEnumerable<StreamingResponseUpdate>)result)
            {
                total += update switch
                {
                    StreamingResponseOutputTextDeltaUpdate text => text.Delta?.Length ?? 0,
                    StreamingResponseFunctionCallArgumentsDeltaUpdate arguments => arguments.Delta?.ToString().Length ?? 0,
                    _ => 0,
                };
            }
        }
        finally
        {
            await result.DisposeAsync();
        }

        return total;
    }

    private async Task CheckAsync(string[] pieces)
    {
        var events = new List<StreamEvent>();
        await foreach (var streamEvent in _adapter.StreamAsync(_request))
        {
            events.Add(streamEvent);
        }

        var whole = string.Concat(pieces);
        var ok = IsTool
            ? events.Count == pieces.Length + 3
                && events[0] is ToolCallStartEvent { Id: ProviderStreams.ToolCallId, Name: ProviderStreams.ToolName }
                && events.Skip(1).Take(pieces.Length).Select(e => (e as ToolCallDeltaEvent)?.Delta).SequenceEqual(pieces)
                && events[^2] is ToolCallEndEvent { Id: ProviderStreams.ToolCallId, Valid: true } end && end.Arguments == whole
                && events[^1] is DoneEvent { FinishReason: var toolFinish } && toolFinish == FinishReason.ToolCalls
            : events.Count == pieces.Length + 1
                && events.Take(pieces.Length).Select(e => (e as TokenEvent)?.Content).SequenceEqual(pieces)
                && events[^1] is DoneEvent { FinishReason: var textFinish } && textFinish == FinishReason.Stop;
        if (!ok)
        {
            throw new InvalidOperationException(
                $"{Workload}: the adapter yielded {events.Count} events ({string.Join(", ", events.Take(3).Concat(events.TakeLast(2)))}), not the expected ones.");
        }

        var sdk = await SdkOnly();
        if (sdk != _payloadLength)
        {
            throw new InvalidOperationException($"{Workload}: the SDK pass read {sdk} characters of deltas, expected {_payloadLength}.");
        }

        var items = 0;
        using (var stream = new MemoryStream(_body, writable: false))
        {
            await foreach (var unused in SseParser.Create(stream).EnumerateAsync())
            {
                items++;
            }
        }

        // In the log, for the per-event bytes of each stream.
        Console.WriteLine($"// {Workload}: {_body.Length} bytes, {items} SSE events, {pieces.Length} deltas ({_payloadLength} characters); {_body.Length / pieces.Length} bytes per delta.");
    }
}
