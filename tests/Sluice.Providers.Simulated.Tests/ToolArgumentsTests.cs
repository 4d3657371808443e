using System.Text.Json;

namespace Sluice.Providers.Simulated.Tests;

public sealed class ToolArgumentsTests
{
    [Fact]
    public void Generate_NoSchema_ReturnsEmptyObject()
    {
        Assert.Equal("{}", ToolArguments.Generate(null));
    }

    [Fact]
    public void Generate_ScalarTypes_UseSampleValues()
    {
        var json = Generate("""
            {"type":"object","properties":{
              "count":{"type":"integer"},
              "ratio":{"type":"number"},
              "enabled":{"type":"boolean"},
              "mode":{"type":"string","enum":["fast","slow"]},
              "comment":{"type":"string"},
              "city":{"type":"string"}
            }}
            """);

        Assert.Equal(42, json.GetProperty("count").GetInt64());
        Assert.Equal(3.5, json.GetProperty("ratio").GetDouble());
        Assert.True(json.GetProperty("enabled").GetBoolean());
        Assert.Equal("fast", json.GetProperty("mode").GetString());
        Assert.Equal("sample text with \"quotes\" and ünïcode", json.GetProperty("comment").GetString());
        Assert.Equal("Paris", json.GetProperty("city").GetString());
    }

    [Fact]
    public void Generate_NestedObjectsAndArrays_Recurse()
    {
        var json = Generate("""
            {"type":"object","properties":{
              "trip":{"type":"object","properties":{"city":{"type":"string"},"nights":{"type":"integer"}}},
              "tags":{"type":"array","items":{"type":"string","enum":["food","art"]}}
            }}
            """);

        Assert.Equal("Paris", json.GetProperty("trip").GetProperty("city").GetString());
        Assert.Equal(42, json.GetProperty("trip").GetProperty("nights").GetInt32());
        Assert.Equal(["food"], json.GetProperty("tags").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public void Generate_NullableTypeListAndBounds_PicksNonNullWithinBounds()
    {
        var json = Generate("""
            {"type":"object","properties":{
              "age":{"type":["null","integer"],"minimum":0,"maximum":10},
              "score":{"type":"number","minimum":100}
            }}
            """);

        Assert.Equal(10, json.GetProperty("age").GetInt32());
        Assert.Equal(100, json.GetProperty("score").GetDouble());
    }

    [Fact]
    public void Generate_NonAsciiSample_IsNotEscaped()
    {
        var text = ToolArguments.Generate(JsonDocument.Parse("""{"type":"object","properties":{"x":{"type":"string"}}}""").RootElement);

        Assert.Contains("ünïcode", text, StringComparison.Ordinal);
        Assert.Contains("\\\"quotes\\\"", text, StringComparison.Ordinal);
    }

    private static JsonElement Generate(string schema)
    {
        var text = ToolArguments.Generate(JsonDocument.Parse(schema).RootElement);
        return JsonDocument.Parse(text).RootElement;
    }
}
