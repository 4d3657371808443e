using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>The outcome of <see cref="StreamRequestParser.Parse"/>: a request, a syntax error, or field errors.</summary>
internal sealed class StreamRequestParseResult
{
    private StreamRequestParseResult(StreamRequest? request, string? syntaxError, IDictionary<string, string[]>? fieldErrors)
    {
        Request = request;
        SyntaxError = syntaxError;
        FieldErrors = fieldErrors;
    }

    public StreamRequest? Request { get; }

    /// <summary>Why the body is not JSON (or not an object), naming the position.</summary>
    public string? SyntaxError { get; }

    /// <summary>Errors keyed by field path, e.g. <c>messages[1].role</c>.</summary>
    public IDictionary<string, string[]>? FieldErrors { get; }

    public static StreamRequestParseResult Valid(StreamRequest request) => new(request, null, null);

    public static StreamRequestParseResult Syntax(string error) => new(null, error, null);

    public static StreamRequestParseResult Invalid(IDictionary<string, string[]> errors) => new(null, null, errors);
}
