namespace Sluice.AspNetCore;

/// <summary>Why a run's upstream call was cancelled; a metrics tag, so the causes can be told apart.</summary>
internal enum RunCancellationCause
{
    /// <summary>A client sent <c>DELETE</c>.</summary>
    Deleted,

    /// <summary>The last reader left and nobody re-attached within the grace period.</summary>
    GraceExpired,
}
