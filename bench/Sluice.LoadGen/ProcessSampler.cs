using System.Globalization;

namespace Sluice.LoadGen;

/// <summary>
/// Reads another process's CPU time and resident memory from /proc (Linux), so a run can report the server's CPU per
/// event and its peak memory, not only what the client saw.
/// </summary>
internal sealed class ProcessSampler(int pid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.

    public long PeakResidentBytes { get; private set; }

    /// <summary>The resident set size at the last sample.</summary>
    public long LastResidentBytes { get; private set; }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Samples the resident set size, keeping the peak.</summary>
    public void SampleMemory()
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                LastResidentBytes = kb * 1024;
                PeakResidentBytes = Math.Max(PeakResidentBytes, LastResidentBytes);
                return;
            }
        }
    }
}
