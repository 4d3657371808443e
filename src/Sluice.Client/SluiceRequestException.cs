using System.Net;

namespace Sluice.Client;

/// <summary>
/// The gateway answered a request with an error status instead of a stream (a 4xx with an RFC 9457 problem document,
/// e.g. 400 naming the invalid fields), or with something that is not an event stream.
/// </summary>
public sealed class SluiceRequestException : SluiceException
{
    /// <summary>Creates the exception from the gateway's answer.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="message">What went wrong, for people (the problem's detail, when there is one).</param>
    /// <param name="problem">The problem document's fields, when the answer had one.</param>
    public SluiceRequestException(HttpStatusCode statusCode, string message, SluiceProblem? problem = null)
        : base(message)
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem document (<c>application/problem+json</c>), when the answer had one.</summary>
    public SluiceProblem? Problem { get; }

    /// <inheritdoc />
    public override string Code => "request_rejected";

    /// <inheritdoc />
    /// <remarks>Only a 429 or a 5xx may go away by itself; a 4xx means the request itself must change.</remarks>
    public override bool Retryable => StatusCode is HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
