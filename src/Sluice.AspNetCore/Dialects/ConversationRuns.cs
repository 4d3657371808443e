using System.Collections.Concurrent;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// The active run of each dialect conversation, by key (<c>ai-sdk:{chatId}</c>, <c>ag-ui:{threadId}</c>): what resume
/// and stop find. An entry goes when its run finishes; a new run of the same conversation replaces it.
/// </summary>
/// <remarks>Thread-safe; a singleton per application. Holds only running runs, so it is bounded by the run limits.</remarks>
internal sealed class ConversationRuns
{
    private readonly ConcurrentDictionary<string, ConversationRun> _active = new(StringComparer.Ordinal);

    /// <summary>The conversation's run, if one is still running.</summary>
    public bool TryGetActive(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConversationRun? entry)
    {
        if (_active.TryGetValue(key, out entry) && !entry.Run.IsFinished)
        {
            return true;
        }

        entry = null;
        return false;
    }

    /// <summary>Makes <paramref name="entry"/> the conversation's active run until it finishes.</summary>
    /// <returns>The run it replaces, if that one is still running (the caller decides what becomes of it).</returns>
    public ConversationRun? Register(string key, ConversationRun entry)
    {
        ConversationRun? replaced = null;
        _active.AddOrUpdate(key, entry, (_, previous) =>
        {
            replaced = previous;
            return entry;
        });
        using (ExecutionContext.SuppressFlow()) // Waits as long as the run: the request's ambient state stays with the request.
        {
            _ = ForgetWhenFinishedAsync(key, entry);
        }

        return replaced is { Run.IsFinished: false } ? replaced : null;
    }

    private async Task ForgetWhenFinishedAsync(string key, ConversationRun entry)
    {
        await entry.Run.Completion;

        // Only this entry: a newer run of the same conversation may have replaced it meanwhile.
        _active.TryRemove(KeyValuePair.Create(key, entry));
    }
}
