using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sluice.AspNetCore;

/// <summary>
/// <c>POST /v1/faults</c>: changes the fault switch at run time, for tests. Mapped only with
/// <see cref="FaultOptions.EnableEndpoint"/>.
/// </summary>
internal static class FaultEndpoints
{
    private const string CutAfterEvents = "cutAfterEvents";

    /// <summary>Body <c>{"cutAfterEvents": N}</c> (N ≥ 0) or <c>{"cutAfterEvents": null}</c>; answers with the setting now in force.</summary>
    public static async Task SetAsync(HttpContext context, FaultSwitch faults)
    {
        int? cutAfterEvents;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(CutAfterEvents, out var value))
            {
                await WriteInvalidAsync(context, "Required: a non-negative integer, or null for off.");
                return;
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                cutAfterEvents = null;
            }
            else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0)
            {
                cutAfterEvents = n;
            }
            else
            {
                await WriteInvalidAsync(context, "Must be a non-negative integer, or null for off.");
                return;
            }
        }
        catch (JsonException ex)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Malformed request body", $"The body is not valid JSON: {ex.Message}");
            return;
        }

        faults.CutAfterEvents = cutAfterEvents ?? 0;
        var now = faults.CutAfterEvents;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(
            now > 0 ? string.Create(CultureInfo.InvariantCulture, $$"""{"{{CutAfterEvents}}":{{now}}}""") : $$"""{"{{CutAfterEvents}}":null}""",
            context.RequestAborted);
    }

    private static Task WriteInvalidAsync(HttpContext context, string problem) =>
        Problems.WriteValidationAsync(context, new Dictionary<string, string[]>(StringComparer.Ordinal) { [CutAfterEvents] = [problem] });
}
