using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Sluice.AspNetCore.Validation;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests.Validation;

public sealed class OutputValidatorTests
{
    private const string WeatherSchema = """
        {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1,"maximum":14}},
         "required":["city"],"additionalProperties":false}
        """;

    private static readonly DoneEvent Done = new(FinishReason.ToolCalls, Usage.Zero);

    [Fact]
    public void Process_ArgumentsMatchingTheSchema_EndValid()
    {
        var validator = Validator();

        var end = Run(validator, "get_weather", ["{\"ci", "ty\":\"Par", "is\",\"days\":3}"], "{\"city\":\"Paris\",\"days\":3}");

        Assert.Equal(new ToolCallEndEvent("c1", "{\"city\":\"Paris\",\"days\":3}", true), end);
        Assert.Empty(validator.Close(Done));
    }

    [Fact]
    public void Process_ArgumentsViolatingTheSchema_EndInvalidWithPathAndReason()
    {
        var end = Run(Validator(), "get_weather", ["{\"city\":\"Paris\",\"days\":40}"], "{\"city\":\"Paris\",\"days\":40}");

        Assert.False(end.Valid);
        var error = Assert.Single(end.Errors!);
        Assert.StartsWith("$.days: ", error, StringComparison.Ordinal);
        Assert.Contains("maximum", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_ArgumentsThatAreNotJson_EndInvalidNamingTheByte()
    {
        var end = Run(Validator(), "get_weather", ["{\"city\" \"Paris\"}"], "{\"city\" \"Paris\"}");

        Assert.False(end.Valid);
        Assert.Equal(["Not valid JSON: at byte 8: expected ':' after a property name, found '\"'."], end.Errors);
    }

    [Fact]
    public void Process_ProviderEndsACallWhoseArgumentsWereCut_SaysTruncatedNotMalformed()
    {
        // max_tokens inside a tool call: the provider ends the call like any other, with the text it has.
        var end = Run(Validator(), "get_weather", ["{\"city\":\"Pa"], "{\"city\":\"Pa");

        Assert.False(end.Valid);
        Assert.StartsWith("Truncated: the text ends before the JSON was complete", Assert.Single(end.Errors!), StringComparison.Ordinal);
    }

    [Fact]
    public void Process_NoArguments_AreAnEmptyObject()
    {
        var validator = Validator(tools: [new ToolDefinition("now")]);

        var end = Run(validator, "now", [""], "");

        Assert.Equal(new ToolCallEndEvent("c1", "{}", true), end);
    }

    [Fact]
    public void Process_ToolWithoutSchema_AnyJsonIsValid()
    {
        var end = Run(Validator(tools: [new ToolDefinition("free")]), "free", ["[1,", "2]"], "[1,2]");

        Assert.True(end.Valid);
    }

    [Fact]
    public void Close_StreamFailsInsideArguments_EndsTheCallAsTruncated()
    {
        var validator = Validator();
        validator.Process(new ToolCallStartEvent("c1", "get_weather", 0));
        validator.Process(new ToolCallDeltaEvent("c1", "{\"city\":\"Par"));

        var closing = validator.Close(new ErrorEvent("overloaded_error", "busy", Retryable: true)).ToArray();

        var end = Assert.IsType<ToolCallEndEvent>(Assert.Single(closing));
        Assert.Equal(("c1", "{\"city\":\"Par", false), (end.Id, end.Arguments, end.Valid));
        Assert.StartsWith("Truncated: the stream failed (overloaded_error) before the JSON was complete", Assert.Single(end.Errors!), StringComparison.Ordinal);
    }

    [Fact]
    public void Close_SourceNeverEndedACompleteCall_EndsItInvalid()
    {
        var validator = Validator();
        validator.Process(new ToolCallStartEvent("c1", "get_weather", 0));
        validator.Process(new ToolCallDeltaEvent("c1", "{\"city\":\"Paris\"}"));

        var end = Assert.IsType<ToolCallEndEvent>(Assert.Single(validator.Close(Done)));

        Assert.False(end.Valid);
        Assert.Equal("{\"city\":\"Paris\"}", end.Arguments);
    }

    [Fact]
    public void Process_PartialValueInterval_AddsPartialAtMostThatOften()
    {
        var time = new FakeTimeProvider();
        var validator = Validator(time: time, partialInterval: TimeSpan.FromMilliseconds(100));
        validator.Process(new ToolCallStartEvent("c1", "get_weather", 0));

        var first = (ToolCallDeltaEvent)validator.Process(new ToolCallDeltaEvent("c1", "{\"city\":\"Pa"))!;
        var second = (ToolCallDeltaEvent)validator.Process(new ToolCallDeltaEvent("c1", "ri"))!;
        time.Advance(TimeSpan.FromMilliseconds(100));
        var third = (ToolCallDeltaEvent)validator.Process(new ToolCallDeltaEvent("c1", "s\",\"days\":1"))!;

        Assert.Equal("{\"city\":\"Pa\"}", first.Partial!.Value.GetRawText());
        Assert.Null(second.Partial);
        Assert.Equal("{\"city\":\"Paris\",\"days\":1}", third.Partial!.Value.GetRawText());
        Assert.Equal("ri", second.Delta);
    }

    [Fact]
    public void Process_PartialValuesOff_FragmentsPassUnchanged()
    {
        var validator = Validator();
        validator.Process(new ToolCallStartEvent("c1", "get_weather", 0));
        var delta = new ToolCallDeltaEvent("c1", "{\"city\":\"Pa");

        Assert.Same(delta, validator.Process(delta));
    }

    [Fact]
    public void Close_StructuredOutputMatchingTheSchema_EndsWithFinalValidObject()
    {
        var validator = Validator(responseSchema: WeatherSchema);
        Assert.IsType<ObjectEvent>(validator.Process(new ObjectEvent("{\"city\":")));
        Assert.IsType<ObjectEvent>(validator.Process(new ObjectEvent("\"Oslo\"}")));

        var final = Assert.IsType<ObjectEvent>(Assert.Single(validator.Close(new DoneEvent(FinishReason.Stop, Usage.Zero))));

        Assert.True(final.IsFinal);
        Assert.True(final.Valid);
        Assert.Null(final.Errors);
        Assert.Equal("{\"city\":\"Oslo\"}", final.Value!.Value.GetRawText());
    }

    [Fact]
    public void Close_StructuredOutputViolatingTheSchema_EndsWithErrors()
    {
        var validator = Validator(responseSchema: WeatherSchema);
        validator.Process(new ObjectEvent("{\"town\":\"Oslo\"}"));

        var final = Assert.IsType<ObjectEvent>(Assert.Single(validator.Close(new DoneEvent(FinishReason.Stop, Usage.Zero))));

        Assert.False(final.Valid);
        Assert.NotNull(final.Value);
        Assert.Contains(final.Errors!, e => e.Contains("city", StringComparison.Ordinal));
    }

    [Fact]
    public void Close_StructuredOutputCutByMaxTokens_IsTruncated()
    {
        var validator = Validator(responseSchema: WeatherSchema);
        validator.Process(new ObjectEvent("{\"city\":\"Os"));

        var final = Assert.IsType<ObjectEvent>(Assert.Single(validator.Close(new DoneEvent(FinishReason.Length, Usage.Zero))));

        Assert.False(final.Valid);
        Assert.Null(final.Value);
        Assert.StartsWith("Truncated: the stream finished (length)", Assert.Single(final.Errors!), StringComparison.Ordinal);
    }

    [Fact]
    public void Close_StructuredOutputRequestedButNothingSent_EndsInvalid()
    {
        var validator = Validator(responseSchema: WeatherSchema);

        var final = Assert.IsType<ObjectEvent>(Assert.Single(validator.Close(new DoneEvent(FinishReason.Stop, Usage.Zero))));

        Assert.False(final.Valid);
        Assert.Contains("no structured output", Assert.Single(final.Errors!), StringComparison.Ordinal);
    }

    [Fact]
    public void Process_SourcesOwnFinalObject_IsReplacedByTheVerdict()
    {
        var validator = Validator(responseSchema: WeatherSchema);
        validator.Process(new ObjectEvent("{\"city\":1}"));

        Assert.Null(validator.Process(ObjectEvent.Final(null, valid: true)));
        var final = Assert.IsType<ObjectEvent>(Assert.Single(validator.Close(new DoneEvent(FinishReason.Stop, Usage.Zero))));
        Assert.False(final.Valid);
    }

    [Fact]
    public void Close_Twice_ClosesOnce()
    {
        var validator = Validator(responseSchema: WeatherSchema);
        validator.Process(new ObjectEvent("{\"city\":\"Oslo\"}"));

        Assert.Single(validator.Close(Done));
        Assert.Empty(validator.Close(Done));
    }

    private static ToolCallEndEvent Run(OutputValidator validator, string tool, string[] fragments, string arguments)
    {
        Assert.IsType<ToolCallStartEvent>(validator.Process(new ToolCallStartEvent("c1", tool, 0)));
        foreach (var fragment in fragments)
        {
            Assert.IsType<ToolCallDeltaEvent>(validator.Process(new ToolCallDeltaEvent("c1", fragment)));
        }

        return Assert.IsType<ToolCallEndEvent>(validator.Process(new ToolCallEndEvent("c1", arguments, Valid: true)));
    }

    private static OutputValidator Validator(
        ToolDefinition[]? tools = null,
        string? responseSchema = null,
        TimeProvider? time = null,
        TimeSpan? partialInterval = null)
    {
        var request = new StreamRequest([new StreamMessage(MessageRole.User, "hi")])
        {
            Tools = tools ?? [new ToolDefinition("get_weather", null, JsonElement.Parse(WeatherSchema))],
            ResponseFormat = responseSchema is null ? null : new ResponseFormat(JsonElement.Parse(responseSchema)),
        };
        return new OutputValidator(request, time ?? TimeProvider.System, partialInterval);
    }
}
