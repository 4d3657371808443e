using System.Globalization;
using System.Net;
using Sluice.Protocol;

namespace Sluice.Providers;

/// <summary>
/// The terminal <c>error</c> events for upstream faults, the same for every provider: a stable <c>code</c>, a message
/// for people that holds no secrets (no API key, no raw headers, no stack trace), and whether retrying may help.
/// </summary>
/// <remarks>See docs/PROTOCOL.md for the codes. Thread-safe; holds no state.</remarks>
public static class UpstreamErrors
{
    /// <summary>401/403: the provider refused the credentials. Not retryable.</summary>
    public const string AuthFailedCode = "auth_failed";

    /// <summary>429: too many requests; <see cref="ErrorEvent.RetryAfter"/> when the provider said how long to wait.</summary>
    public const string RateLimitedCode = "rate_limited";

    /// <summary>503/529, or the provider's own "overloaded" error: busy, retry later.</summary>
    public const string OverloadedCode = "overloaded";

    /// <summary>Any other 5xx: the provider failed.</summary>
    public const string UpstreamErrorCode = "upstream_error";

    /// <summary>Another 4xx: the provider refused the request itself (retrying the same request will not help).</summary>
    public const string RejectedCode = "upstream_rejected";

    /// <summary>The connection to the provider broke (reset, refused, closed mid-stream).</summary>
    public const string DisconnectedCode = "upstream_disconnected";

    /// <summary>The provider sent nothing for the stall timeout.</summary>
    public const string TimeoutCode = "upstream_timeout";

    /// <summary>The provider's stream ended without its end marker: the answer may be cut short.</summary>
    public const string TruncatedCode = "upstream_truncated";

    // Provider messages are passed on for 4xx (they say what was wrong with the request), but bounded.
    private const int MaxProviderMessageLength = 300;

    /// <summary>The error for an HTTP status from the provider.</summary>
    /// <param name="status">The HTTP status code (4xx or 5xx).</param>
    /// <param name="retryAfter">The provider's <c>retry-after</c>, if any.</param>
    /// <param name="providerMessage">The provider's own explanation, passed on for a rejected request (shortened).</param>
    /// <returns>The terminal event.</returns>
    public static ErrorEvent FromStatus(int status, TimeSpan? retryAfter = null, string? providerMessage = null) => status switch
    {
        401 or 403 => new ErrorEvent(AuthFailedCode, $"The model provider refused the credentials (HTTP {status}). Check the API key.", Retryable: false),
        429 => new ErrorEvent(RateLimitedCode, "The model provider is rate limiting requests (HTTP 429).", Retryable: true, retryAfter),
        503 or 529 => new ErrorEvent(OverloadedCode, $"The model provider is overloaded (HTTP {status}).", Retryable: true, retryAfter),
        >= 500 => new ErrorEvent(UpstreamErrorCode, $"The model provider failed (HTTP {status}).", Retryable: true, retryAfter),
        408 => new ErrorEvent(TimeoutCode, "The model provider timed out (HTTP 408).", Retryable: true, retryAfter),
        _ => new ErrorEvent(RejectedCode, Rejected(status, providerMessage), Retryable: false),
    };

    /// <summary>The connection to the provider broke.</summary>
    public static ErrorEvent Disconnected() =>
        new(DisconnectedCode, "The connection to the model provider was lost.", Retryable: true);

    /// <summary>The provider sent nothing for <paramref name="stallTimeout"/>.</summary>
    /// <param name="stallTimeout">The configured stall timeout.</param>
    public static ErrorEvent Timeout(TimeSpan stallTimeout) => new(
        TimeoutCode,
        string.Create(CultureInfo.InvariantCulture, $"The model provider sent nothing for {stallTimeout.TotalSeconds:0.###} s."),
        Retryable: true);

    /// <summary>The provider's stream ended without its end marker.</summary>
    public static ErrorEvent Truncated() =>
        new(TruncatedCode, "The model provider's stream ended before its end marker; the answer may be incomplete.", Retryable: true);

    /// <summary>An error the provider reported inside its stream (after HTTP 200), under the provider's own type.</summary>
    /// <param name="type">The provider's error type, e.g. <c>overloaded_error</c>; becomes the code.</param>
    /// <param name="message">The provider's message.</param>
    /// <param name="retryable">Whether the type is one that retrying may cure.</param>
    public static ErrorEvent InStream(string type, string? message, bool retryable) =>
        new(string.IsNullOrWhiteSpace(type) ? UpstreamErrorCode : type, Shorten(message) ?? "The model provider reported an error.", retryable);

    /// <summary>Classifies a failure of the HTTP call to the provider.</summary>
    /// <param name="exception">What the HTTP stack (or an SDK, unwrapped by the adapter) threw.</param>
    /// <returns>The event, or <see langword="null"/> when the exception is not an upstream fault (a bug: let it surface).</returns>
    public static ErrorEvent? FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);

        // A stall surfaces wrapped in whatever the reader above the stream throws (an IOException, an SDK exception).
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is UpstreamStallException stall)
            {
                return Timeout(stall.StallTimeout);
            }
        }

        return Classify(exception);
    }

    private static ErrorEvent? Classify(Exception exception) => exception switch
    {
        HttpRequestException { StatusCode: { } status } => FromStatus((int)status),
        HttpRequestException or IOException or System.Net.Sockets.SocketException => Disconnected(),
        _ when exception.InnerException is { } inner => Classify(inner),
        _ => null,
    };

    /// <summary>Reads an HTTP <c>retry-after</c> value (seconds, or an HTTP date).</summary>
    /// <param name="value">The header value.</param>
    /// <param name="now">The current time, for a date.</param>
    /// <returns>The wait, or <see langword="null"/> when absent or unreadable.</returns>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date > now ? date - now : TimeSpan.Zero
            : null;
    }

    private static string Rejected(int status, string? providerMessage)
    {
        var reason = Shorten(providerMessage);
        var phrase = Enum.IsDefined(typeof(HttpStatusCode), status) ? $"HTTP {status} {(HttpStatusCode)status}" : $"HTTP {status}";
        return reason is null
            ? $"The model provider rejected the request ({phrase})."
            : $"The model provider rejected the request ({phrase}): {reason}";
    }

    private static string? Shorten(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        message = message.ReplaceLineEndings(" ").Trim();
        return message.Length <= MaxProviderMessageLength ? message : string.Concat(message.AsSpan(0, MaxProviderMessageLength), "…");
    }
}
