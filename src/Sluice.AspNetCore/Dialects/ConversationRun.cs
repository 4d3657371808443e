using Microsoft.AspNetCore.Http;

namespace Sluice.AspNetCore.Dialects;

/// <summary>The run a dialect conversation (an AI SDK chat, an AG-UI thread) has going, and what its frames need.</summary>
/// <param name="Run">The run.</param>
/// <param name="MessageId">The id of the answer's message, the same on every replay so the client replaces, not duplicates.</param>
/// <param name="DialectRunId">The client's own id for the run (AG-UI <c>runId</c>), if the dialect has one.</param>
/// <param name="Principal">The authenticated principal that started it, or <see langword="null"/> for an anonymous start.</param>
internal sealed record ConversationRun(StreamRun Run, string MessageId, string? DialectRunId, string? Principal)
{
    /// <summary>
    /// Whether the request may read or stop this run. The conversation id is the capability (clients generate it at
    /// random); when the run was started by an authenticated principal, the request must come from the same one.
    /// </summary>
    public bool Admits(HttpContext context) =>
        Principal is null || string.Equals(RunOwner.PrincipalOf(context), Principal, StringComparison.Ordinal);
}
