using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

public sealed class StreamRequestWriterTests
{
    [Fact]
    public void Write_EveryField_InTheProtocolsShape()
    {
        var request = new StreamRequest(
        [
            new StreamMessage(MessageRole.System, "Be brief."),
            new StreamMessage(MessageRole.User, "Weather in \"Paris\"?"),
            new StreamMessage(MessageRole.Assistant, string.Empty) { ToolCalls = [new MessageToolCall("call_1", "get_weather", """{"city":"Paris"}""")] },
            new StreamMessage(MessageRole.Tool, "Sunny") { ToolCallId = "call_1" },
        ])
        {
            Model = "m",
            MaxTokens = 100,
            Temperature = 0.5,
            Tools = [new ToolDefinition("get_weather", "Forecast", JsonElement.Parse("""{"type":"object"}"""))],
            ResponseFormat = new ResponseFormat(JsonElement.Parse("""{"type":"object"}"""), "answer"),
        };

        var json = JsonNode.Parse(Encoding.UTF8.GetString(StreamRequestWriter.Write(request).Span));

        var expected = JsonNode.Parse("""
            {
              "messages": [
                { "role": "system", "content": "Be brief." },
                { "role": "user", "content": "Weather in \"Paris\"?" },
                { "role": "assistant", "content": "", "toolCalls": [{ "id": "call_1", "name": "get_weather", "arguments": "{\"city\":\"Paris\"}" }] },
                { "role": "tool", "content": "Sunny", "toolCallId": "call_1" }
              ],
              "model": "m",
              "maxTokens": 100,
              "temperature": 0.5,
              "tools": [{ "name": "get_weather", "description": "Forecast", "parameters": { "type": "object" } }],
              "responseFormat": { "type": "json_schema", "schema": { "type": "object" }, "name": "answer" }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, json), json!.ToJsonString());
    }

    [Fact]
    public void Write_OptionalFieldsUnset_AreLeftOut()
    {
        var json = JsonNode.Parse(Encoding.UTF8.GetString(StreamRequestWriter.Write(Messages.Ask("Hi")).Span));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"messages":[{"role":"user","content":"Hi"}]}"""), json), json!.ToJsonString());
    }
}
