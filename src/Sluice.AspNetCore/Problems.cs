using Microsoft.AspNetCore.Http;

namespace Sluice.AspNetCore;

/// <summary>Writes RFC 9457 <c>application/problem+json</c> responses, the only way Sluice reports an error before streaming.</summary>
internal static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeFor(status)).ExecuteAsync(context);

    public static Task WriteValidationAsync(HttpContext context, IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: "The request body has invalid fields; see 'errors'.",
            title: "Invalid request",
            type: TypeFor(StatusCodes.Status400BadRequest)).ExecuteAsync(context);

    private static string TypeFor(int status) => $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}";
}
