namespace Sluice.Providers.Anthropic;

/// <summary>
/// What <see cref="AnthropicHeadersHandler"/> saw of one call's failed response. The adapter sets a fresh one before
/// each call; the handler runs below it in the same async flow, so it finds that call's instance and no other.
/// </summary>
internal sealed class ResponseCapture
{
    private static readonly AsyncLocal<ResponseCapture?> CurrentCapture = new();

    public static ResponseCapture? Current
    {
        get => CurrentCapture.Value;
        set => CurrentCapture.Value = value;
    }

    public TimeSpan? RetryAfter { get; set; }

    /// <summary>The call's response, so the adapter can close it when it stops early: the SDK leaves that to its reader.</summary>
    public HttpResponseMessage? Response { get; set; }
}
