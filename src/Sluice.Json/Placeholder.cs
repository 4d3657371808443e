namespace Sluice.Json;

internal static class Placeholder;
