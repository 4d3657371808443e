using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;

namespace Sluice.Providers.ChatClient.Tests;

public sealed class ChatClientStreamSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StreamAsync_TextReasoningUsage_MapToSluiceEvents()
    {
        var client = new ScriptedChatClient(
            new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("think")]),
            new ChatResponseUpdate(ChatRole.Assistant, "Hel"),
            new ChatResponseUpdate(ChatRole.Assistant, "lo") { FinishReason = ChatFinishReason.Stop },
            new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 5, OutputTokenCount = 2 })]));

        var events = await CollectAsync(new ChatClientStreamSource(client, "m"), Ask(), Ct);

        Assert.Equal<StreamEvent>(
            [new ReasoningEvent("think"), new TokenEvent("Hel"), new TokenEvent("lo"), new DoneEvent(FinishReason.Stop, new Usage(5, 2))],
            events);
    }

    [Fact]
    public async Task StreamAsync_FunctionCall_IsOneWholeToolCall()
    {
        var client = new ScriptedChatClient(
            new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })])
            {
                FinishReason = ChatFinishReason.ToolCalls,
            });

        var events = await CollectAsync(new ChatClientStreamSource(client, "m"), Ask(), Ct);

        Assert.Equal(new ToolCallStartEvent("c1", "get_weather", 0), events[0]);
        Assert.Equal(new ToolCallDeltaEvent("c1", "{\"city\":\"Oslo\"}"), events[1]);
        Assert.Equal(new ToolCallEndEvent("c1", "{\"city\":\"Oslo\"}", true), events[2]);
        Assert.Equal(FinishReason.ToolCalls, Assert.IsType<DoneEvent>(events[3]).FinishReason);
    }

    [Fact]
    public async Task StreamAsync_Request_MapsMessagesToolsAndOptions()
    {
        var client = new ScriptedChatClient();
        var request = new StreamRequest(
        [
            new StreamMessage(MessageRole.System, "Be brief."),
            new StreamMessage(MessageRole.User, "Weather?"),
            new StreamMessage(MessageRole.Assistant, "") { ToolCalls = [new MessageToolCall("c1", "get_weather", "{\"city\":\"Oslo\"}")] },
            new StreamMessage(MessageRole.Tool, "22C") { ToolCallId = "c1" },
        ])
        {
            Model = "model-x",
            MaxTokens = 100,
            Temperature = 0.5,
            Tools = [new ToolDefinition("get_weather", "Weather", JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}"""))],
        };

        await CollectAsync(new ChatClientStreamSource(client, "m"), request, Ct);

        var (messages, options) = client.Received!.Value;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], messages.Select(m => m.Role));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(messages[2].Contents));
        Assert.Equal(("c1", "get_weather"), (call.CallId, call.Name));
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(messages[3].Contents));
        Assert.Equal(("c1", "22C"), (result.CallId, result.Result as string));
        Assert.Equal(("model-x", 100, 0.5f), (options!.ModelId, options.MaxOutputTokens, options.Temperature));
        var tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(options.Tools!));
        Assert.Equal("get_weather", tool.Name);
    }

    [Fact]
    public async Task StreamAsync_ResponseFormat_StreamsObjectFragments()
    {
        var client = new ScriptedChatClient(new ChatResponseUpdate(ChatRole.Assistant, "{\"city\":"), new ChatResponseUpdate(ChatRole.Assistant, "\"Oslo\"}"));
        var request = Ask() with { ResponseFormat = new ResponseFormat(JsonElement.Parse("""{"type":"object"}"""), "city") };

        var events = await CollectAsync(new ChatClientStreamSource(client, "m"), request, Ct);

        Assert.Equal(["{\"city\":", "\"Oslo\"}"], events.OfType<ObjectEvent>().Select(o => o.Delta));
        Assert.IsType<ChatResponseFormatJson>(client.Received!.Value.Options!.ResponseFormat);
    }

    [Fact]
    public async Task StreamAsync_ClientThrowsNetworkError_EndsWithDisconnected()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IChatClient>(new ScriptedChatClient(new HttpRequestException("reset")))
            .AddSluiceChatClient("m")
            .BuildServiceProvider();

        var events = await CollectAsync(services.GetRequiredService<IStreamSource>(), Ask(), Ct);

        Assert.Equal("upstream_disconnected", Assert.IsType<ErrorEvent>(Assert.Single(events)).Code);
    }

    [Fact]
    public async Task StreamAsync_Cancelled_TokenReachesTheClient()
    {
        var client = new ScriptedChatClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await CollectAsync(new ChatClientStreamSource(client, "m"), Ask(), cts.Token);

        Assert.Equal(cts.Token, client.Token);
    }

    private static StreamRequest Ask() => new([new StreamMessage(MessageRole.User, "hi")]);

    private static async Task<List<StreamEvent>> CollectAsync(IStreamSource source, StreamRequest request, CancellationToken cancellationToken)
    {
        var events = new List<StreamEvent>();
        await foreach (var evt in source.StreamAsync(request, cancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }

    /// <summary>An IChatClient that streams the given updates (or throws the given exception) and records what it was asked.</summary>
    private sealed class ScriptedChatClient : IChatClient
    {
        private readonly ChatResponseUpdate[] _updates;
        private readonly Exception? _failure;

        public ScriptedChatClient(params ChatResponseUpdate[] updates) => _updates = updates;

        public ScriptedChatClient(Exception failure)
        {
            _updates = [];
            _failure = failure;
        }

        public (List<ChatMessage> Messages, ChatOptions? Options)? Received { get; private set; }

        public CancellationToken Token { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Received = ([.. messages], options);
            Token = cancellationToken;
            await Task.Yield();
            if (_failure is not null)
            {
                throw _failure;
            }

            foreach (var update in _updates)
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
