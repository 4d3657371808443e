using System.Globalization;
using System.Net;

namespace Sluice.LoadGen;

/// <summary>What to run: parsed from the command line (see <see cref="Usage"/>).</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        Sluice.LoadGen --url <loopback url> [options]
          --url URL            the stream endpoint (loopback only), e.g. http://127.0.0.1:5000/v1/streams
          --method POST|GET    default POST
          --body JSON          request body for POST (default: one user message, --prompt)
          --prompt TEXT        the user message of the default body (default: "/answer python-retry")
          --concurrency C      streams open at once (default 10)
          --streams N          streams in all (default: C)
          --duration SECONDS   stop starting new streams after this long (default 120)
          --timeout SECONDS    per-stream limit (default 300)
          --label TEXT         a name for this run in the report
          --server-pid PID     also report that process's CPU per event and peak memory (Linux /proc)
          --json               print the report as one JSON line as well
        Every stream must end with a terminal event (done or error) and, when all use the same request, carry the same
        text as the first complete one; anything else counts as incomplete or failed.
        """;

    public required Uri Url { get; init; }

    public HttpMethod Method { get; init; } = HttpMethod.Post;

    public string? Body { get; init; }

    public string Prompt { get; init; } = "/answer python-retry";

    public int Concurrency { get; init; } = 10;

    public int Streams { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan StreamTimeout { get; init; } = TimeSpan.FromSeconds(300);

    public string Label { get; init; } = string.Empty;

    public bool Json { get; init; }

    public int? ServerPid { get; init; }

    public string RequestBody => Body ?? System.Text.Json.JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = Prompt } } });

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--json")
            {
                flags.Add(args[i]);
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            values[args[i]] = args[++i];
        }

        if (!values.TryGetValue("--url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("--url is required and must be absolute.");
        }

        // A load generator pointed at someone else's server is an attack; this one only measures the local machine.
        if (!uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && !IPAddress.IsLoopback(address)))
        {
            throw new ArgumentException("Only loopback URLs are allowed (127.0.0.1, ::1, localhost).");
        }

        var concurrency = Int(values, "--concurrency", 10);
        return new LoadOptions
        {
            Url = uri,
            Method = values.TryGetValue("--method", out var method) ? new HttpMethod(method.ToUpperInvariant()) : HttpMethod.Post,
            Body = values.GetValueOrDefault("--body"),
            Prompt = values.GetValueOrDefault("--prompt") ?? "/answer python-retry",
            Concurrency = concurrency,
            Streams = Int(values, "--streams", concurrency),
            Duration = TimeSpan.FromSeconds(Int(values, "--duration", 120)),
            StreamTimeout = TimeSpan.FromSeconds(Int(values, "--timeout", 300)),
            Label = values.GetValueOrDefault("--label") ?? string.Empty,
            Json = flags.Contains("--json"),
            ServerPid = values.ContainsKey("--server-pid") ? Int(values, "--server-pid", 0) : null,
        };
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive integer.");
    }
}
