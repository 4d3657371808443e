namespace Sluice.Gateway;

/// <summary>The CORS policy of the dialect endpoints (<c>Sluice:Dialects:AllowedOrigins</c>).</summary>
internal static class DialectCors
{
    public const string PolicyName = "SluiceDialects";

    /// <summary>Response headers a cross-origin page may read: the stream protocol, and the native stream id and token.</summary>
    public static readonly string[] ExposedHeaders = ["x-vercel-ai-ui-message-stream", "Sluice-Stream-Id", "Sluice-Resume-Token"];
}
