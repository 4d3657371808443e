namespace Sluice.AspNetCore.Dialects;

/// <summary>The outcome of parsing a dialect's request body: the request, a syntax error, or field errors.</summary>
/// <typeparam name="T">What the dialect's body becomes (the run's request and the dialect's own ids).</typeparam>
internal sealed class DialectParseResult<T>
    where T : class
{
    private DialectParseResult(T? value, string? syntaxError, IDictionary<string, string[]>? fieldErrors)
    {
        Value = value;
        SyntaxError = syntaxError;
        FieldErrors = fieldErrors;
    }

    public T? Value { get; }

    /// <summary>Why the body is not JSON (or not an object), naming the position.</summary>
    public string? SyntaxError { get; }

    /// <summary>Errors keyed by field path in the dialect's own terms, e.g. <c>messages[0].parts[1].type</c>.</summary>
    public IDictionary<string, string[]>? FieldErrors { get; }

    public static DialectParseResult<T> Valid(T value) => new(value, null, null);

    public static DialectParseResult<T> Syntax(string error) => new(null, error, null);

    public static DialectParseResult<T> Invalid(IDictionary<string, string[]> errors) => new(null, null, errors);
}
