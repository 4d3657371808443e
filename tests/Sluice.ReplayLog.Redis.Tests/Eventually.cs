using System.Diagnostics;

namespace Sluice.ReplayLog.Redis.Tests;

/// <summary>Waits for a condition, polling, with a deadline: no fixed sleeps.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<(bool Done, T Value)>> attempt, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (done, value) = await attempt();
            if (done)
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout}: {what}.");
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        ReturnsAsync(async () => (await condition(), true), timeout, what);
}
