using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

/// <summary>A provider adapter in miniature: each line of an upstream HTTP response is a token.</summary>
internal sealed class HttpLineStreamSource(Uri upstream) : IStreamSource
{
    private readonly HttpClient _client = new() { Timeout = Timeout.InfiniteTimeSpan };

    public string DefaultModel => "http-lines";

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await _client.GetAsync(new Uri(upstream, "/stream"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return new TokenEvent(line);
        }
    }
}
