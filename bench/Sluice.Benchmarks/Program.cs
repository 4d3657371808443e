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

        // Also a plain measurement: streams every answer in a folder and prints what must not happen (see docs/BENCHMARKS.md).
        if (args is ["--corpus", var directory])
        {
            Markdown.MarkdownCorpusCheck.Run(directory);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
