using Sluice.LoadGen;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

var sampler = options.ServerPid is { } pid ? new ProcessSampler(pid) : null;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await new LoadRunner(options, sampler).RunAsync(cancel.Token);
Console.Write(report.ToText());
if (options.Json)
{
    Console.WriteLine(report.ToJson());
}

// Scripts stop at a run that lost streams.
return report.Failed + report.Incomplete + report.Mismatched == 0 ? 0 : 1;
