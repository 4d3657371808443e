namespace Sluice.Providers.Simulated;

/// <summary>Text to emit as one event, and how many tokenizer tokens produced it (which sets its delay).</summary>
/// <param name="Text">Complete UTF-16 text: never ends inside a character.</param>
/// <param name="TokenCount">
/// Usually 1; more when a token ended inside a multi-byte character and was held back; 0 for the rest of a piece
/// that was split only to respect a maximum length, since a provider would have sent it in the same burst.
/// </param>
internal readonly record struct TokenPiece(string Text, int TokenCount);
