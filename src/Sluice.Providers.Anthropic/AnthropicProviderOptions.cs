namespace Sluice.Providers.Anthropic;

/// <summary>How Sluice calls the Anthropic Messages API; bound from <c>Sluice:Anthropic</c>.</summary>
public sealed record AnthropicProviderOptions
{
    /// <summary>The model used when a request names none.</summary>
    public const string DefaultModelName = "claude-sonnet-4-5";

    /// <summary>
    /// The <c>anthropic-version</c> sent when none is configured: <c>2023-06-01</c>, the only generally available version
    /// of the Messages API (newer behaviour is opted into with beta headers, not new versions).
    /// </summary>
    public const string DefaultVersion = "2023-06-01";

    /// <summary>The <c>max_tokens</c> sent when a request sets none (the Messages API requires one).</summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>
    /// The API key (<c>x-api-key</c>). When <see langword="null"/>, registration falls back to the
    /// <c>ANTHROPIC_API_KEY</c> environment variable.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or white space.</exception>
    public string? ApiKey
    {
        get;
        init => field = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException("Must not be empty; leave it unset to use ANTHROPIC_API_KEY.", nameof(ApiKey));
    }

    /// <summary>The API's base address (e.g. a proxy); the SDK's default (<c>https://api.anthropic.com</c>) when <see langword="null"/>.</summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) URL.</exception>
    public string? BaseUrl
    {
        get;
        init => field = value is null || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            ? value
            : throw new ArgumentException("Must be an absolute http or https URL.", nameof(BaseUrl));
    }

    /// <summary>The model used when a request names none. Default <c>claude-sonnet-4-5</c>.</summary>
    /// <exception cref="ArgumentException">Empty or white space.</exception>
    public string Model
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Model));
            field = value;
        }
    } = DefaultModelName;

    /// <summary>
    /// The <c>anthropic-version</c> header. Default <c>2023-06-01</c>: the only generally available version of the
    /// Messages API; Anthropic adds features through beta headers rather than new versions, so there is nothing newer to pin.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or white space.</exception>
    public string Version
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Version));
            field = value;
        }
    } = DefaultVersion;

    /// <summary>The <c>max_tokens</c> sent when a request sets none. Default 4096.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int MaxTokens
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTokens), value, "Must be positive.");
    } = DefaultMaxTokens;
}
