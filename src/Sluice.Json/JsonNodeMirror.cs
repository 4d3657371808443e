using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary>Keeps a <see cref="JsonNode"/> copy of the partial value up to date from each fragment's changes.</summary>
internal static class JsonNodeMirror
{
    public static void Apply(ReadOnlySpan<PartialJsonChange> changes, ref JsonNode? root)
    {
        foreach (var change in changes)
        {
            var node = change.Node;
            switch (change.Kind)
            {
                case PartialJsonChangeKind.Added:
                    // Shallow: a container's children arrive as their own Added changes, later in the list.
                    node.Mirror = node.Kind switch
                    {
                        JsonValueKind.Object => new JsonObject(),
                        JsonValueKind.Array => new JsonArray(),
                        _ => node.CreateMirror(),
                    };
                    Attach(node, ref root);
                    break;

                case PartialJsonChangeKind.Appended:
                case PartialJsonChangeKind.Updated:
                    var previous = node.Mirror;
                    node.Mirror = node.CreateMirror();
                    Replace(node, previous, ref root);
                    break;
            }
        }
    }

    private static void Attach(PartialJsonNode node, ref JsonNode? root)
    {
        switch (node.Parent?.Mirror)
        {
            case JsonObject parent:
                // Duplicate names: the last one wins, as in JsonObject itself.
                parent[node.PropertyName!] = node.Mirror;
                break;
            case JsonArray parent:
                parent.Add(node.Mirror);
                break;
            default:
                root = node.Mirror;
                break;
        }
    }

    private static void Replace(PartialJsonNode node, JsonNode? previous, ref JsonNode? root)
    {
        switch (node.Parent?.Mirror)
        {
            case JsonObject parent:
                // Only while this node is the one its name maps to (a later duplicate name has taken it over).
                if (ReferenceEquals(parent[node.PropertyName!], previous))
                {
                    parent[node.PropertyName!] = node.Mirror;
                }

                break;
            case JsonArray parent:
                parent[node.Index] = node.Mirror;
                break;
            default:
                root = node.Mirror;
                break;
        }
    }
}
