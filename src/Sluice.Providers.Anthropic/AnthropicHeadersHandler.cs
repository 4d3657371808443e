using System.Net;

namespace Sluice.Providers.Anthropic;

/// <summary>
/// Sits in the SDK's HTTP pipeline: sends the API key as <c>x-api-key</c>, pins <c>anthropic-version</c> to the
/// configured value, and records the <c>retry-after</c> of a failed response for the adapter, because the SDK's
/// exceptions do not carry headers.
/// </summary>
/// <remarks>
/// SDK 13.x sends an API key as <c>Authorization: Bearer</c>; <c>x-api-key</c> is the header the Messages API documents
/// for API keys and the one proxies in front of it expect, so the key moves there and is never sent twice.
/// </remarks>
internal sealed class AnthropicHeadersHandler : DelegatingHandler
{
    private const string VersionHeader = "anthropic-version";
    private const string ApiKeyHeader = "x-api-key";
    private readonly string _apiKey;
    private readonly string _version;
    private readonly TimeProvider _timeProvider;

    public AnthropicHeadersHandler(string apiKey, string version, TimeProvider timeProvider)
    {
        _apiKey = apiKey;
        _version = version;
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is { Scheme: "Bearer" } authorization && authorization.Parameter == _apiKey)
        {
            request.Headers.Authorization = null;
        }

        request.Headers.Remove(ApiKeyHeader);
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, _apiKey);
        request.Headers.Remove(VersionHeader);
        request.Headers.TryAddWithoutValidation(VersionHeader, _version);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (ResponseCapture.Current is { } capture)
        {
            capture.Response = response;
            if (!response.IsSuccessStatusCode)
            {
                capture.RetryAfter = ReadRetryAfter(response);
            }
        }

        return response;
    }

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after", out var values))
        {
            return UpstreamErrors.ParseRetryAfter(values.FirstOrDefault(), _timeProvider.GetUtcNow());
        }

        // Not a standard header, but Anthropic's SDKs honour it; seconds are what the protocol carries.
        return response.StatusCode == HttpStatusCode.TooManyRequests
            && response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds >= 0
                ? TimeSpan.FromMilliseconds(milliseconds)
                : null;
    }
}
