namespace Sluice.Providers.OpenAI;

/// <summary>
/// Where and how to call OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM Studio, …); bound from
/// <c>Sluice:OpenAI</c>.
/// </summary>
public sealed record OpenAIProviderOptions
{
    /// <summary>The model used when a request names none: <c>gpt-4o-mini</c>.</summary>
    public const string DefaultModelName = "gpt-4o-mini";

    /// <summary>
    /// The API key. When <see langword="null"/>, the <c>OPENAI_API_KEY</c> environment variable is used; with a custom
    /// <see cref="BaseUrl"/> it may be absent altogether (local servers need none).
    /// </summary>
    /// <exception cref="ArgumentException">Empty or white space.</exception>
    public string? ApiKey
    {
        get;
        init => field = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException("The API key must not be empty; leave it unset to use OPENAI_API_KEY.", nameof(ApiKey));
    }

    /// <summary>
    /// The API's base address including its version segment, e.g. <c>http://localhost:11434/v1</c>; the SDK appends
    /// <c>/chat/completions</c> or <c>/responses</c>. <see langword="null"/>: <c>https://api.openai.com/v1</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute http or https address.</exception>
    public Uri? BaseUrl
    {
        get;
        init => field = value is null || (value.IsAbsoluteUri && (value.Scheme == Uri.UriSchemeHttp || value.Scheme == Uri.UriSchemeHttps))
            ? value
            : throw new ArgumentException("The base URL must be an absolute http or https address.", nameof(BaseUrl));
    }

    /// <summary>The model used when a request names none. Default <see cref="DefaultModelName"/>.</summary>
    /// <exception cref="ArgumentException">Empty or white space.</exception>
    public string Model
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("The model must not be empty.", nameof(Model));
    } = DefaultModelName;
}
