using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.Gateway.Tests;

/// <summary>
/// Wraps the gateway's provider with what the simulated model cannot do, for the client tests: <c>/think &lt;text&gt;</c>
/// streams a line of reasoning and then echoes the text; <c>/fail &lt;text&gt;</c> streams the text and then fails as an
/// overloaded provider. Everything else goes to the real provider, and every upstream call that ends by its
/// cancellation token is recorded with its prompt, so a test sees that stop reached the provider.
/// </summary>
internal sealed class ScenarioStreamSource(IStreamSource inner) : IStreamSource
{
    public const string Reasoning = "Considering the question.";
    public const string FailureMessage = "The provider is overloaded.";

    private readonly ConcurrentQueue<string> _cancelledPrompts = new();

    public string DefaultModel => inner.DefaultModel;

    /// <summary>The prompts (last user message) of the calls whose cancellation token fired.</summary>
    public IReadOnlyCollection<string> CancelledPrompts => _cancelledPrompts;

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = request.Messages.LastOrDefault(m => m.Role == MessageRole.User)?.Content ?? string.Empty;
        if (prompt.StartsWith("/fail ", StringComparison.Ordinal))
        {
            yield return new TokenEvent(prompt["/fail ".Length..]);
            yield return new ErrorEvent("overloaded", FailureMessage, Retryable: true);
            yield break;
        }

        var forwarded = request;
        if (prompt.StartsWith("/think ", StringComparison.Ordinal))
        {
            yield return new ReasoningEvent(Reasoning);
            forwarded = request with { Messages = [new StreamMessage(MessageRole.User, "/echo " + prompt["/think ".Length..])] };
        }

        try
        {
            await foreach (var evt in inner.StreamAsync(forwarded, cancellationToken))
            {
                yield return evt;
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _cancelledPrompts.Enqueue(prompt);
            }
        }
    }
}
