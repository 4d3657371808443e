using System.Text.Json;
using Sluice.Protocol;
using Sluice.Providers.Simulated;

// The least a streaming endpoint can do: read the request, ask the model, write each event as an SSE frame and flush.
// Same model, same bytes on the wire as the gateway (same encoder), so the load generator verifies both alike.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSluiceSimulated(builder.Configuration.GetSection("Sluice:Simulated").Get<SimulatedOptions>());
var app = builder.Build();

app.MapPost("/v1/streams", async (HttpContext context, IStreamSource source) =>
{
    var request = await JsonSerializer.DeserializeAsync<StreamRequestBody>(context.Request.Body, BareJson.Options, context.RequestAborted);
    var messages = request?.Messages?.Select(m => new StreamMessage(m.Role == "user" ? MessageRole.User : MessageRole.Assistant, m.Content ?? string.Empty)).ToList() ?? [];
    context.Response.ContentType = "text/event-stream";
    context.Response.Headers.CacheControl = "no-cache";
    var encoder = new StreamEventEncoder();
    var output = context.Response.BodyWriter;
    long seq = 0;
    encoder.Write(output, new SequencedEvent(seq++, new StartEvent("bare", source.DefaultModel)));
    await output.FlushAsync(context.RequestAborted);
    await foreach (var evt in source.StreamAsync(new StreamRequest(messages), context.RequestAborted))
    {
        encoder.Write(output, new SequencedEvent(seq++, evt));
        await output.FlushAsync(context.RequestAborted);
    }
});

app.Run();

internal sealed record StreamRequestBody(List<MessageBody>? Messages);

internal sealed record MessageBody(string Role, string? Content);

internal static class BareJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
