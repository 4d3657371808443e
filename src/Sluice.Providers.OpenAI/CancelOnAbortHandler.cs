namespace Sluice.Providers.OpenAI;

/// <summary>Closes a streaming response when the call's token is cancelled.</summary>
/// <remarks>
/// The SDK's stream reader does not pass the token to a pending body read, so a cancelled call would wait for the
/// provider's next bytes; disposing the response closes the connection, which also tells the provider to stop
/// generating. The registration lives as long as the token's source (one gateway request).
/// </remarks>
internal sealed class CancelOnAbortHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
        }

        return response;
    }
}
