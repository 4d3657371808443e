using System.Net;

namespace Sluice.Providers.Anthropic;

/// <summary>
/// Sits in the SDK's HTTP pipeline: pins <c>anthropic-version</c> to the configured value, and records the
/// <c>retry-after</c> of a failed response for the adapter, because the SDK's exceptions do not carry headers.
/// </summary>
internal sealed class AnthropicHeadersHandler : DelegatingHandler
{
    private const string VersionHeader = "anthropic-version";
    private readonly string _version;
    private readonly TimeProvider _timeProvider;

    public AnthropicHeadersHandler(string version, TimeProvider timeProvider)
    {
        _version = version;
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(VersionHeader);
        request.Headers.TryAddWithoutValidation(VersionHeader, _version);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && ResponseCapture.Current is { } capture)
        {
            capture.RetryAfter = ReadRetryAfter(response);
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
