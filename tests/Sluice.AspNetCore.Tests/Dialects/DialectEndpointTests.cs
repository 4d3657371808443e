using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sluice.AspNetCore.Dialects;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.AspNetCore.Tests.Dialects;

/// <summary>
/// The dialect endpoints on real Kestrel: the bodies the real clients send become the run's request, the answers
/// carry the dialect's headers and frames, resume replays the same message, stop cancels upstream, and validation,
/// ownership and limits apply as for the native protocol.
/// </summary>
public sealed class DialectEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AiSdk_Post_MapsUiMessages_AndAnswersWithUiMessageChunks()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        const string Body = """
            {"id":"chat-1","trigger":"submit-message","messageId":null,"tools":[{"name":"get_weather","parameters":{"type":"object"}}],
             "messages":[
              {"id":"s","role":"system","parts":[{"type":"text","text":"Be brief."}]},
              {"id":"u1","role":"user","parts":[{"type":"text","text":"Weather in Paris?"},{"type":"file","mediaType":"image/png","url":"data:,"}]},
              {"id":"a1","role":"assistant","parts":[{"type":"step-start"},{"type":"reasoning","text":"hidden"},{"type":"text","text":"Checking."},
                {"type":"tool-get_weather","toolCallId":"c1","state":"output-available","input":{"city":"Paris"},"output":{"temp":21}},
                {"type":"step-start"},{"type":"text","text":"It is 21."}]},
              {"id":"u2","role":"user","parts":[{"type":"text","text":"Thanks"}]}]}
            """;
        source.Release(new TokenEvent("You're welcome"));
        source.Release(new DoneEvent(FinishReason.Stop, new Usage(1, 2)));
        source.Finish();

        using var response = await gateway.Client.SendStreamingAsync(Post("/api/chat", Body));
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", response.Headers.GetValues("x-vercel-ai-ui-message-stream").Single());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var chunks = Chunks(text);
        Assert.Equal(["start", "start-step", "text-start", "text-delta", "text-end", "finish-step", "finish"], chunks.Select(c => c.GetProperty("type").GetString()));
        Assert.StartsWith("msg-", chunks[0].GetProperty("messageId").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);

        var request = await source.Requested;
        Assert.Equal(["system:Be brief.", "user:Weather in Paris?", "assistant:Checking.", "tool:{\"temp\":21}", "assistant:It is 21.", "user:Thanks"],
            request.Messages.Select(m => $"{m.Role.ToString().ToLowerInvariant()}:{m.Content}"));
        Assert.Equal(new MessageToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"), Assert.Single(request.Messages[2].ToolCalls));
        Assert.Equal("c1", request.Messages[3].ToolCallId);
        Assert.Equal("get_weather", Assert.Single(request.Tools).Name);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","parts":[]}]}""", "id")]
    [InlineData("""{"id":"c","messages":[{"role":"user"}]}""", "messages[0].parts")]
    [InlineData("""{"id":"c","messages":[{"role":"robot","parts":[]}]}""", "messages[0].role")]
    [InlineData("""{"id":"c","messages":[{"role":"user","parts":[{"type":"text"}]}]}""", "messages[0].parts[0].text")]
    [InlineData("""{"id":"c","messages":[]}""", "messages")]
    public async Task AiSdk_Post_InvalidBody_Is400NamingTheField(string body, string field)
    {
        await using var gateway = await TestGateway.StartAsync(new ScriptedStreamSource());
        using var response = await gateway.Client.SendAsync(Post("/api/chat", body), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        Assert.Equal(0, gateway.Runs.Count);
    }

    [Fact]
    public async Task AiSdk_Resume_Is204WithoutAnActiveRun_ReplaysTheWholeMessageWhileRunning_AndStopCancelsUpstream()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        using (var none = await gateway.Client.GetAsync("/api/chat/chat-2/stream", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        }

        source.Release(new TokenEvent("Hello"));
        using var first = await gateway.Client.SendStreamingAsync(Post("/api/chat", UserMessage("chat-2", "hi")));
        await source.Requested;
        using var resumed = await gateway.Client.SendStreamingAsync(new HttpRequestMessage(HttpMethod.Get, "/api/chat/chat-2/stream"));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal("v1", resumed.Headers.GetValues("x-vercel-ai-ui-message-stream").Single());

        using (var stop = await gateway.Client.PostAsync("/api/chat/chat-2/stop", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        }

        await source.Cancelled.WaitAsync(Ct);
        var original = Chunks(await first.Content.ReadAsStringAsync(Ct));
        var replay = Chunks(await resumed.Content.ReadAsStringAsync(Ct));

        // The same message from start, with the same id, so the client replaces its copy instead of adding one.
        Assert.Equal(original.Select(c => c.ToString()), replay.Select(c => c.ToString()));
        Assert.Equal("Hello", replay.Single(c => c.GetProperty("type").GetString() == "text-delta").GetProperty("delta").GetString());
        Assert.Equal("other", replay[^1].GetProperty("finishReason").GetString());
        Assert.Contains(replay, c => c.GetProperty("type").GetString() == "abort");
        await Eventually.TrueAsync(async () => (await gateway.Client.GetAsync("/api/chat/chat-2/stream", Ct)).StatusCode == HttpStatusCode.NoContent, "the finished run is no longer the chat's active run", Ct);
    }

    [Fact]
    public async Task AiSdk_ResumeWithLastEventId_SendsOnlyWhatFollows_EachFrameWithItsSeq()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new TokenEvent("one"));
        source.Release(new TokenEvent(" two"));
        using var first = await gateway.Client.SendStreamingAsync(Post("/api/chat", UserMessage("chat-6", "hi")));
        var chats = gateway.Services.GetRequiredService<ConversationRuns>();
        await Eventually.TrueAsync(() => chats.TryGetActive("ai-sdk:chat-6", out var chat) && chat.Run.Head >= 2, "both tokens are in the log", Ct);

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/chat/chat-6/stream");
        request.Headers.Add(SluiceHeaders.LastEventId, "1");
        using var resumed = await gateway.Client.SendStreamingAsync(request);
        source.Release(new DoneEvent(FinishReason.Stop, Usage.Zero));
        source.Finish();
        var body = await resumed.Content.ReadAsStringAsync(Ct);

        // A custom transport that kept its state: no second start, the next token in a block of this response, ids from 2.
        Assert.Equal(["text-start", "text-delta", "text-end", "finish-step", "finish"], Chunks(body).Select(c => c.GetProperty("type").GetString()));
        Assert.Equal(" two", Chunks(body)[1].GetProperty("delta").GetString());
        Assert.Equal(["2", "2", "3", "3", "3"], body.Split('\n').Where(line => line.StartsWith("id: ", StringComparison.Ordinal)).Select(line => line[4..]));
    }

    [Fact]
    public async Task AiSdk_ARunStartedByAPrincipal_IsInvisibleToAnyoneElse()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new TokenEvent("secret"));
        using var started = await gateway.Client.SendStreamingAsync(As("alice", Post("/api/chat", UserMessage("chat-3", "hi"))));
        await source.Requested;

        using (var bobResume = await gateway.Client.SendAsync(As("bob", new HttpRequestMessage(HttpMethod.Get, "/api/chat/chat-3/stream")), Ct))
        using (var anonymousStop = await gateway.Client.PostAsync("/api/chat/chat-3/stop", null, Ct))
        using (var bobTakeOver = await gateway.Client.SendAsync(As("bob", Post("/api/chat", UserMessage("chat-3", "mine now"))), Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, bobResume.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, anonymousStop.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, bobTakeOver.StatusCode);
        }

        Assert.False(source.Cancelled.IsCompleted);
        using var aliceStop = await gateway.Client.SendAsync(As("alice", new HttpRequestMessage(HttpMethod.Post, "/api/chat/chat-3/stop")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, aliceStop.StatusCode);
        await source.Cancelled.WaitAsync(Ct);
    }

    [Fact]
    public async Task AiSdk_Post_PastMaxConcurrentRuns_Is503_AndStartsNothing()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, new SluiceOptions { Limits = new LimitOptions { MaxConcurrentRuns = 1 } });
        using var held = await gateway.Client.SendStreamingAsync(Post("/api/chat", UserMessage("chat-4", "one")));
        using var refused = await gateway.Client.SendAsync(Post("/api/chat", UserMessage("chat-5", "two")), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(1, gateway.Runs.Count);
        source.Finish();
    }

    [Fact]
    public async Task AgUi_Post_MapsRunAgentInput_AndAnswersFromRunStartedToRunFinished()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        const string Body = """
            {"threadId":"t-1","runId":"r-1","state":{"x":1},"forwardedProps":{},
             "context":[{"description":"User's city","value":"Oslo"}],
             "tools":[{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[
              {"id":"1","role":"developer","content":"Be brief."},
              {"id":"2","role":"user","content":[{"type":"text","text":"Weather?"}]},
              {"id":"3","role":"assistant","toolCalls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"id":"4","role":"tool","toolCallId":"c1","content":"4 degrees"},
              {"id":"5","role":"reasoning","content":"not for the model"},
              {"id":"6","role":"user","content":"Thanks"}]}
            """;
        source.Release(new TokenEvent("Welcome"));
        source.Release(new DoneEvent(FinishReason.Stop, new Usage(1, 2)));
        source.Finish();

        using var response = await gateway.Client.SendStreamingAsync(Post("/ag-ui", Body));
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain('\r', text);
        var events = Chunks(text);
        Assert.Equal(["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("t-1", events[0].GetProperty("threadId").GetString());
        Assert.Equal("r-1", events[^1].GetProperty("runId").GetString());
        Assert.Equal([0, 1, 1, 2, 2], events.Select(e => e.GetProperty("metadata").GetProperty("sluice").GetProperty("seq").GetInt32()));

        var request = await source.Requested;
        Assert.Equal(["system:Context:\n- User's city: Oslo", "system:Be brief.", "user:Weather?", "assistant:", "tool:4 degrees", "user:Thanks"],
            request.Messages.Select(m => $"{m.Role.ToString().ToLowerInvariant()}:{m.Content}"));
        Assert.Equal(new MessageToolCall("c1", "get_weather", "{\"city\":\"Oslo\"}"), Assert.Single(request.Messages[3].ToolCalls));
        Assert.Equal("Weather", Assert.Single(request.Tools).Description);
    }

    [Theory]
    [InlineData("""{"runId":"r","messages":[{"id":"1","role":"user","content":"x"}]}""", "threadId")]
    [InlineData("""{"threadId":"t","runId":"r","messages":[{"id":"1","role":"user"}]}""", "messages[0].content")]
    [InlineData("""{"threadId":"t","runId":"r","messages":[]}""", "messages")]
    [InlineData("""{"threadId":"t","runId":"r","messages":[{"id":"1","role":"user","content":"x"}],"tools":[{"name":"bad name","description":"d"}]}""", "tools[0].name")]
    public async Task AgUi_Post_InvalidInput_Is400NamingTheField(string body, string field)
    {
        await using var gateway = await TestGateway.StartAsync(new ScriptedStreamSource());
        using var response = await gateway.Client.SendAsync(Post("/ag-ui", body), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
    }

    [Fact]
    public async Task AgUi_Resume_BeginsWithRunStarted_AndStopCancelsUpstream()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new TokenEvent("Part"));
        using var first = await gateway.Client.SendStreamingAsync(Post("/ag-ui", """{"threadId":"t-2","runId":"r-2","messages":[{"id":"1","role":"user","content":"x"}]}"""));
        await source.Requested;
        using var resumed = await gateway.Client.SendStreamingAsync(new HttpRequestMessage(HttpMethod.Get, "/ag-ui/t-2/stream"));
        using (var stop = await gateway.Client.PostAsync("/ag-ui/t-2/stop", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        }

        await source.Cancelled.WaitAsync(Ct);
        var replay = Chunks(await resumed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"], replay.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("r-2", replay[0].GetProperty("runId").GetString());
        Assert.Equal("cancelled", replay[^1].GetProperty("outcome").GetProperty("type").GetString());
        Assert.Equal(Chunks(await first.Content.ReadAsStringAsync(Ct)).Select(e => e.ToString()), replay.Select(e => e.ToString()));
    }

    private static string UserMessage(string chatId, string text) =>
        JsonSerializer.Serialize(new { id = chatId, messages = new[] { new { id = "u", role = "user", parts = new[] { new { type = "text", text } } } } });

    private static HttpRequestMessage Post(string path, string body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
    };

    private static HttpRequestMessage As(string user, HttpRequestMessage request)
    {
        request.Headers.Add(TestAuthenticationHandler.UserHeader, user);
        return request;
    }

    /// <summary>The JSON of every data line but <c>[DONE]</c>, in order.</summary>
    private static List<JsonElement> Chunks(string body) =>
        [.. body.Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal) && line != "data: [DONE]")
            .Select(line => JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone())];
}
