using BenchmarkDotNet.Running;

namespace Sluice.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        // A plain measurement, not a benchmark: BenchmarkDotNet reports allocations, not what stays alive.
        if (args is ["--memory-per-run"])
        {
            ReplayLogMemoryPerRun.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
