using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// Replays a fixed script for every request, pausing before script index <see cref="GateBefore"/> until
/// <see cref="OpenGate"/>: the test decides exactly how far the run has got when it cuts a connection.
/// </summary>
/// <remarks>One run at a time: set the gate, start a run, open the gate.</remarks>
internal sealed class GatedStreamSource(IReadOnlyList<StreamEvent> script) : IStreamSource
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string DefaultModel => "gated-model";

    /// <summary>The script index the next run pauses before; at or past the end, it never pauses.</summary>
    public int GateBefore { get; set; } = int.MaxValue;

    public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenGate() => _gate.TrySetResult();

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var gate = _gate.Task;
        var gateBefore = GateBefore;
        for (var i = 0; i < script.Count; i++)
        {
            if (i == gateBefore)
            {
                await gate.WaitAsync(cancellationToken);
            }

            yield return script[i];
        }
    }
}
