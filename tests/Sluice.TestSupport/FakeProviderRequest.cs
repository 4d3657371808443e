namespace Sluice.TestSupport;

/// <summary>A request a <see cref="FakeProvider"/> received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query.</param>
/// <param name="Headers">The request headers (first value of each).</param>
/// <param name="Body">The body as text.</param>
public sealed record FakeProviderRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
