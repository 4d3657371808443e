using Sluice.Protocol;

namespace Sluice.AspNetCore.Dialects;

/// <summary>An AG-UI <c>RunAgentInput</c>, as Sluice needs it.</summary>
/// <param name="ThreadId">The conversation's id; the key for resume and stop.</param>
/// <param name="RunId">The client's id for this run, echoed in <c>RUN_STARTED</c> and <c>RUN_FINISHED</c>.</param>
/// <param name="Request">The conversation and tools for the run.</param>
internal sealed record AgUiRunInput(string ThreadId, string RunId, StreamRequest Request);
