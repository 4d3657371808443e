namespace Sluice.TestSupport;

/// <summary>One scripted answer of a <see cref="FakeProvider"/>: status, headers, and a body sent in chunks.</summary>
public sealed record FakeProviderResponse
{
    /// <summary>The HTTP status. Default 200.</summary>
    public int Status { get; init; } = 200;

    /// <summary>The content type. Default <c>text/event-stream</c>.</summary>
    public string ContentType { get; init; } = "text/event-stream";

    /// <summary>Extra response headers (e.g. <c>retry-after</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The body, sent byte for byte.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>
    /// Cuts the body into chunks of 1 to this many bytes (each written and flushed on its own), from
    /// <see cref="ChunkSeed"/>: cuts fall anywhere, inside UTF-8 characters and CRLF pairs too. 0 (the default) sends the
    /// body in one write.
    /// </summary>
    public int MaxChunk { get; init; }

    /// <summary>Seeds the chunk sizes, so a failing case can be replayed.</summary>
    public int ChunkSeed { get; init; }

    /// <summary>After this many body bytes, wait for <see cref="Resume"/> (or the caller to go away).</summary>
    public int? PauseAfterBytes { get; init; }

    /// <summary>What a paused response waits for; it never resumes when <see langword="null"/>.</summary>
    public Task? Resume { get; init; }

    /// <summary>End by resetting the connection instead of completing the response (a connection lost mid-stream).</summary>
    public bool AbortAtEnd { get; init; }

    /// <summary>A response with the body of a recorded stream file.</summary>
    /// <param name="path">The file (e.g. a transcript's <c>.sse</c>).</param>
    public static FakeProviderResponse FromFile(string path) => new() { Body = File.ReadAllBytes(path) };
}
