namespace Sluice.Client;

/// <summary>An RFC 9457 problem document, as the gateway sends for a request it refuses before streaming.</summary>
/// <param name="Type">A URI naming the kind of problem.</param>
/// <param name="Title">A short summary.</param>
/// <param name="Status">The HTTP status, as the document states it.</param>
/// <param name="Detail">What exactly is wrong (e.g. the line and byte of a JSON syntax error).</param>
/// <param name="Errors">For an invalid field: each field path (<c>messages[1].role</c>) with its problems; empty otherwise.</param>
public sealed record SluiceProblem(string? Type, string? Title, int? Status, string? Detail, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors);
