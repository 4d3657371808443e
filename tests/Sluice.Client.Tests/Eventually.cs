namespace Sluice.Client.Tests;

/// <summary>Waits until something another thread does has happened, polling briefly instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            try
            {
                await Task.Delay(5, limit.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }
        }
    }
}
