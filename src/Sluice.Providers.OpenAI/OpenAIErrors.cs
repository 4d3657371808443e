using System.ClientModel;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>Maps what the OpenAI SDK and the OpenAI error shapes report to Sluice's upstream errors.</summary>
internal static class OpenAIErrors
{
    /// <summary>An HTTP error status the SDK raised, with the provider's retry-after and message.</summary>
    public static ErrorEvent FromClientResult(ClientResultException exception, TimeProvider timeProvider)
    {
        var response = exception.GetRawResponse();
        TimeSpan? retryAfter = null;
        string? message = null;
        if (response is not null)
        {
            if (response.Headers.TryGetValue("retry-after", out var header))
            {
                retryAfter = UpstreamErrors.ParseRetryAfter(header, timeProvider.GetUtcNow());
            }
            else if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, System.Globalization.CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            {
                retryAfter = TimeSpan.FromMilliseconds(millis);
            }

            message = TryReadMessage(response);
        }

        return UpstreamErrors.FromStatus(exception.Status, retryAfter, message);
    }

    /// <summary>An error object sent inside an HTTP 200 stream, e.g. <c>{"type":"server_error","message":"…"}</c>.</summary>
    public static ErrorEvent FromErrorObject(JsonElement error)
    {
        string? type = null;
        string? message = null;
        if (error.ValueKind == JsonValueKind.Object)
        {
            type = StringProperty(error, "type") ?? StringProperty(error, "code");
            message = StringProperty(error, "message");
        }
        else if (error.ValueKind == JsonValueKind.String)
        {
            message = error.GetString();
        }

        return InStream(type, message);
    }

    /// <summary>An in-stream error under the provider's type; server-side and capacity types may pass on retry.</summary>
    public static ErrorEvent InStream(string? type, string? message)
    {
        var code = string.IsNullOrWhiteSpace(type) ? UpstreamErrors.UpstreamErrorCode : type;
        return UpstreamErrors.InStream(code, message, IsRetryable(code));
    }

    private static bool IsRetryable(string type) => type switch
    {
        "server_error" or "rate_limit_exceeded" or "rate_limit_error" or "overloaded" or "overloaded_error"
            or "timeout" or "service_unavailable" or UpstreamErrors.UpstreamErrorCode => true,
        _ => false,
    };

    private static string? TryReadMessage(System.ClientModel.Primitives.PipelineResponse response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? StringProperty(error, "message")
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or the body was not buffered: the status alone classifies the error.
            return null;
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
