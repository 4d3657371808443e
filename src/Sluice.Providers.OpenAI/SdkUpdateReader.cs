using System.ClientModel;
using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>
/// The step both OpenAI adapters take per update: the SDK's next update, or the provider's failure as an
/// <see cref="ErrorEvent"/>, or the end of the stream.
/// </summary>
internal static class SdkUpdateReader
{
    /// <summary>Reads the next update.</summary>
    /// <returns>The update (<see langword="null"/> at the end of the stream) or the failure the SDK raised.</returns>
    /// <exception cref="OperationCanceledException">The call was cancelled (however the SDK reported it).</exception>
    public static async ValueTask<(T? Update, ErrorEvent? Failure)> NextAsync<T>(
        ConfiguredCancelableAsyncEnumerable<T>.Enumerator updates, TimeProvider timeProvider, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await updates.MoveNextAsync() ? updates.Current : null, null);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // CancelOnAbortHandler ended the read by disposing the response.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (ClientResultException ex) when (ex.Status != 0)
        {
            return (null, OpenAIErrors.FromClientResult(ex, timeProvider));
        }
    }
}
