using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

public sealed class StreamEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_ValidRequest_StreamsStartTokensAndDoneInSeqOrder()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new TokenEvent("Hel"));
        source.Release(new TokenEvent("lo"));
        source.Release(new DoneEvent(FinishReason.Stop, new Usage(3, 2)));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await response.ReadAllEventsAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0L, 1, 2, 3], events.Select(e => e.Seq));
        var start = Assert.IsType<StartEvent>(events[0].Event);
        Assert.Equal("scripted-model", start.Model);
        Assert.Equal(["Hel", "lo"], events.Select(e => e.Event).OfType<TokenEvent>().Select(t => t.Content));
        Assert.Equal(new DoneEvent(FinishReason.Stop, new Usage(3, 2)), events[^1].Event);
    }

    [Fact]
    public async Task Post_ValidRequest_SendsStreamingHeaders()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Finish();

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await response.ReadAllEventsAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.True(response.Headers.CacheControl?.NoTransform);
        Assert.Equal("no", Assert.Single(response.Headers.GetValues("X-Accel-Buffering")));
        var id = Assert.Single(response.Headers.GetValues(SluiceHeaders.StreamId));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", id);
        Assert.Equal($"/v1/streams/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, Assert.IsType<StartEvent>(events[0].Event).StreamId);
        Assert.Null(response.Content.Headers.ContentEncoding.FirstOrDefault());
    }

    [Fact]
    public async Task Post_TwoRequests_GetDifferentStreamIds()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Finish();

        using var first = await gateway.Client.SendStreamingAsync(SseClient.Post());
        using var second = await gateway.Client.SendStreamingAsync(SseClient.Post());

        Assert.NotEqual(first.Headers.GetValues(SluiceHeaders.StreamId).Single(), second.Headers.GetValues(SluiceHeaders.StreamId).Single());
    }

    [Fact]
    public async Task Post_FirstToken_ArrivesWhileProviderHoldsBackTheSecond()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        await using var events = StreamEventReader.ReadAsync(body, Ct).GetAsyncEnumerator(Ct);

        Assert.True(await events.MoveNextAsync());
        Assert.IsType<StartEvent>(events.Current.Event);
        source.Release(new TokenEvent("first"));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(new TokenEvent("first"), events.Current.Event);

        // Only now does the provider produce the second token.
        source.Release(new TokenEvent("second"));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(new TokenEvent("second"), events.Current.Event);
        source.Finish();
        Assert.True(await events.MoveNextAsync());
        Assert.IsType<DoneEvent>(events.Current.Event);
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task Post_ValidRequest_PassesEveryFieldToTheProvider()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Finish();
        const string body = """
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
             "model":"m-1","maxTokens":77,"temperature":0.5,"unknown":"ignored",
             "tools":[{"name":"get_weather","description":"Weather","parameters":{"type":"object"}}]}
            """;
        const string toolTurn = """
            {"messages":[{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"","toolCalls":[{"id":"c1","name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}]},
             {"role":"tool","toolCallId":"c1","content":"22C"}]}
            """;

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post(body));
        var events = await response.ReadAllEventsAsync();
        var request = await source.Requested;

        Assert.Equal([new StreamMessage(MessageRole.System, "Be brief."), new StreamMessage(MessageRole.User, "Hi")], request.Messages);
        Assert.Equal("m-1", request.Model);
        Assert.Equal(77, request.MaxTokens);
        Assert.Equal(0.5, request.Temperature);
        var tool = Assert.Single(request.Tools);
        Assert.Equal(("get_weather", "Weather", "object"), (tool.Name, tool.Description, tool.Parameters?.GetProperty("type").GetString()));
        Assert.Equal("m-1", Assert.IsType<StartEvent>(events[0].Event).Model);

        var second = new ScriptedStreamSource();
        await using var gateway2 = await TestGateway.StartAsync(second);
        second.Finish();
        using var toolResponse = await gateway2.Client.SendStreamingAsync(SseClient.Post(toolTurn));
        await toolResponse.ReadAllEventsAsync();
        var messages = (await second.Requested).Messages;
        Assert.Equal([new MessageToolCall("c1", "get_weather", "{\"city\":\"Oslo\"}")], messages[1].ToolCalls);
        Assert.Equal((MessageRole.Tool, "c1", "22C"), (messages[2].Role, messages[2].ToolCallId, messages[2].Content));
    }

    [Fact]
    public async Task Post_ProviderThrowsMidStream_KeepsTextThenEndsWithRetryableError()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new TokenEvent("partial"));
        source.Fail(new HttpRequestException("connection reset, secret=sk-123"));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await response.ReadAllEventsAsync();

        Assert.Equal(new TokenEvent("partial"), events[1].Event);
        var error = Assert.IsType<ErrorEvent>(events[^1].Event);
        Assert.Equal("provider_error", error.Code);
        Assert.True(error.Retryable);
        Assert.DoesNotContain("sk-123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ProviderEndsWithoutTerminal_EndsWithDoneStop()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new TokenEvent("x"));
        source.Finish();

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await response.ReadAllEventsAsync();

        Assert.Equal(FinishReason.Stop, Assert.IsType<DoneEvent>(events[^1].Event).FinishReason);
    }

    [Fact]
    public async Task Post_ProviderErrorEvent_IsTheLastEvent()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new ErrorEvent("overloaded_error", "Overloaded.", Retryable: true));
        source.Release(new TokenEvent("never sent"));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await response.ReadAllEventsAsync();

        Assert.Equal(2, events.Count);
        Assert.Equal(new ErrorEvent("overloaded_error", "Overloaded.", true), events[1].Event);
    }

    [Fact]
    public async Task Post_ProviderBreaksToolCallRules_EndsWithInternalErrorInsteadOfHanging()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new TokenEvent("ok"));
        source.Release(new ToolCallDeltaEvent("never_started", "{"));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await response.ReadAllEventsAsync();

        Assert.Equal([0L, 1, 2], events.Select(e => e.Seq));
        Assert.Equal("internal_error", Assert.IsType<ErrorEvent>(events[^1].Event).Code);
        await source.Cancelled.WaitAsync(Ct); // the abandoned upstream call is released, not left running
    }

    [Fact]
    public async Task Post_QuietProvider_SendsHeartbeatCommentEachInterval()
    {
        var time = new FakeTimeProvider();
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, SluiceOptions.Default with { HeartbeatInterval = TimeSpan.FromSeconds(15) }, time);
        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct), Encoding.UTF8);

        await ReadUntilAsync(reader, line => line.StartsWith("data: ", StringComparison.Ordinal)); // start
        time.Advance(TimeSpan.FromSeconds(15));
        await ReadUntilAsync(reader, line => line == ": keep-alive");
        time.Advance(TimeSpan.FromSeconds(15));
        await ReadUntilAsync(reader, line => line == ": keep-alive");
        source.Release(new TokenEvent("after the quiet"));
        Assert.Contains("after the quiet", await ReadUntilAsync(reader, line => line.StartsWith("data: ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ClientDisconnectsWithZeroGrace_CancelsTheUpstreamCall()
    {
        var source = new ScriptedStreamSource();
        var options = SluiceOptions.Default with { Runs = RunOptions.Default with { DetachedGrace = TimeSpan.Zero } };
        await using var gateway = await TestGateway.StartAsync(source, options);
        var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await source.Requested;

        response.Dispose();

        await source.Cancelled.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    public static TheoryData<string, string, string> InvalidBodies() => new()
    {
        { "{\"messages\": [", "$", "line 1, byte 15" },
        { "not json", "$", "line 1, byte 2" }, // "n" could start null; "o" is the first wrong byte
        { "[1,2]", "$", "must be a JSON object" },
        { "{}", "messages", "Required" },
        { "{\"messages\":[]}", "messages", "at least one" },
        { "{\"messages\":{}}", "messages", "Must be an array" },
        { "{\"messages\":[\"hi\"]}", "messages[0]", "Must be an object" },
        { "{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}", "messages[0].role", "Unknown role 'bot'" },
        { "{\"messages\":[{\"content\":\"x\"}]}", "messages[0].role", "Required" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content", "Must be a string, not a number" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"maxTokens\":-1}", "maxTokens", "positive integer" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"maxTokens\":\"10\"}", "maxTokens", "positive integer" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":3}", "temperature", "from 0 to 2" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"model\":1}", "model", "Must be a string" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":{}}", "tools", "Must be an array" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"a b\"}]}", "tools[0].name", "letters, digits" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "tools[1].name", "Duplicate" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"a\",\"parameters\":1}]}", "tools[0].parameters", "JSON Schema object" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"a\",\"parameters\":{\"type\":\"thing\"}}]}", "tools[0].parameters", "Not a usable JSON Schema" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"responseFormat\":\"json\"}", "responseFormat", "Must be an object" },
        { "{\"messages\":[{\"role\":\"tool\",\"content\":\"22C\"}]}", "messages[0].toolCallId", "Required" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"toolCallId\":\"c1\"}]}", "messages[0].toolCallId", "Only a 'tool' message" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"toolCalls\":[]}]}", "messages[0].toolCalls", "Only an 'assistant' message" },
        { "{\"messages\":[{\"role\":\"assistant\",\"content\":\"\",\"toolCalls\":[{\"id\":\"c1\"}]}]}", "messages[0].toolCalls[0].name", "Required" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"responseFormat\":{\"type\":\"json_object\",\"schema\":{}}}", "responseFormat.type", "expected 'json_schema'" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"responseFormat\":{\"type\":\"json_schema\"}}", "responseFormat.schema", "Required: a JSON Schema object" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"responseFormat\":{\"type\":\"json_schema\",\"schema\":{\"minimum\":\"x\"}}}", "responseFormat.schema", "Not a usable JSON Schema" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Post_InvalidBody_Returns400ProblemNamingTheField(string body, string field, string expected)
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);

        using var response = await gateway.Client.SendAsync(SseClient.Post(body), Ct);
        using var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);

        var root = problem.RootElement;
        var message = field == "$"
            ? root.GetProperty("detail").GetString()
            : string.Join(" ", root.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.False(source.Requested.IsCompleted, "an invalid request must not reach the provider");
    }

    [Fact]
    public async Task Post_InvalidBody_ReportsEveryBadFieldAtOnce()
    {
        await using var gateway = await TestGateway.StartAsync(new ScriptedStreamSource());

        using var response = await gateway.Client.SendAsync(SseClient.Post("""{"messages":[{"role":"x","content":1}],"temperature":-1}"""), Ct);
        using var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);

        var fields = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["messages[0].content", "messages[0].role", "temperature"], fields);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Post_WrongContentType_Returns415Problem(string contentType)
    {
        await using var gateway = await TestGateway.StartAsync(new ScriptedStreamSource());

        using var response = await gateway.Client.SendAsync(SseClient.Post(contentType: contentType), Ct);
        using var problem = await ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);

        Assert.Contains(contentType, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_JsonWithCharsetOrSuffix_IsAccepted()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Finish();
        var request = SseClient.Post(contentType: "application/vnd.sluice+json");

        using var response = await gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_BodyOverLimit_Returns413Problem(bool sendContentLength)
    {
        var options = SluiceOptions.Default with { MaxRequestBodyBytes = 1024 };
        await using var gateway = await TestGateway.StartAsync(new ScriptedStreamSource(), options);
        var body = $$"""{"messages":[{"role":"user","content":"{{new string('x', 2000)}}"}]}""";
        HttpContent content = sendContentLength
            ? new StringContent(body, Encoding.UTF8, "application/json")
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))); // no length: chunked
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/streams") { Content = content };

        using var response = await gateway.Client.SendAsync(request, Ct);
        using var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("1024", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        return problem;
    }

    private static async Task<string> ReadUntilAsync(StreamReader reader, Func<string, bool> match)
    {
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (match(line))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The stream ended first.");
    }
}
