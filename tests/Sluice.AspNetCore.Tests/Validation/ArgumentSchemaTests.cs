using System.Text.Json;
using Sluice.AspNetCore.Validation;

namespace Sluice.AspNetCore.Tests.Validation;

public sealed class ArgumentSchemaTests
{
    private static readonly ArgumentSchema Schema = ArgumentSchema.TryCreate(JsonElement.Parse("""
        {"type":"object","properties":{"days":{"type":"integer","maximum":14},"stops":{"type":"array","items":{"type":"string"}}},
         "required":["days"]}
        """), out _)!;

    [Fact]
    public void Check_MatchingValue_HasNoErrors() =>
        Assert.Empty(Schema.Check(JsonElement.Parse("""{"days":3,"stops":["a"]}""")));

    [Fact]
    public void Check_ValueOutOfRange_NamesThePathAndTheKeyword() =>
        Assert.Equal(["$.days: 40 should be at most 14 (maximum)"], Schema.Check(JsonElement.Parse("""{"days":40}""")));

    [Fact]
    public void Check_WrongTypeInsideAnArray_NamesTheElement()
    {
        var error = Assert.Single(Schema.Check(JsonElement.Parse("""{"days":1,"stops":["a",2]}""")));

        Assert.StartsWith("$.stops[1]: ", error, StringComparison.Ordinal);
        Assert.EndsWith("(type)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MissingRequiredProperty_SaysWhich() =>
        Assert.Contains("days", Assert.Single(Schema.Check(JsonElement.Parse("{}"))), StringComparison.Ordinal);

    [Fact]
    public void TryCreate_NotASchema_SaysWhy()
    {
        Assert.Null(ArgumentSchema.TryCreate(JsonElement.Parse("""{"type":"thing"}"""), out var error));
        Assert.StartsWith("Not a usable JSON Schema", error, StringComparison.Ordinal);
    }
}
