using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Sluice.Json.Tests;

/// <summary>
/// For random documents cut at random places, the parser ends with exactly what <see cref="JsonDocument"/> parses, and
/// every partial value on the way is consistent with it: strings only grow, names and elements never disappear or
/// change kind, and whatever says it is complete equals its final value.
/// </summary>
public class PartialJsonParserPropertyTests
{
    private static readonly PartialJsonParserOptions s_deep = new() { MaxDepth = JsonTextGenerators.MaxDepth + 1 };
    private static readonly JsonDocumentOptions s_deepDocument = new() { MaxDepth = JsonTextGenerators.MaxDepth + 1 };

    [Property(MaxTest = 3000)]
    public Property Feed_AnyDocumentAnyFragmentation_EndsWithJsonDocumentsValue() => Prop.ForAll(
        Cases().ToArbitrary(),
        c =>
        {
            using var expected = JsonDocument.Parse(c.Document, s_deepDocument);
            var parser = new PartialJsonParser(s_deep);
            string? previous = null;
            var steps = 0;
            foreach (var fragment in c.Fragments())
            {
                Assert.NotEqual(PartialJsonStatus.Invalid, c.AsChars ? parser.Feed(Encoding.UTF8.GetString(fragment)) : parser.Feed(fragment));

                // Each check walks the whole value, so it runs at a bounded number of steps (every step for small
                // documents), always including the last.
                if (parser.Root is { } root && (steps++ % c.SnapshotEvery == 0 || parser.Status == PartialJsonStatus.Complete))
                {
                    PartialValueAssert.ConsistentWith(root, expected.RootElement);
                    var snapshot = root.ToJsonString();
                    if (previous is not null)
                    {
                        PartialValueAssert.IsPrefix(previous, snapshot);
                    }

                    previous = snapshot;
                }
            }

            Assert.Equal(PartialJsonStatus.Complete, parser.Complete());
            Assert.Null(parser.Error);
            Assert.True(parser.Root!.IsComplete);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(parser.Root.ToJsonString(), documentOptions: s_deepDocument), JsonNode.Parse(c.Document, documentOptions: s_deepDocument)));
        });

    [Property(MaxTest = 500)]
    public Property GetJsonNode_MaintainedFromChanges_EqualsTheTreeAtEveryStep() => Prop.ForAll(
        Cases().ToArbitrary(),
        c =>
        {
            var parser = new PartialJsonParser(s_deep);
            var steps = 0;
            foreach (var fragment in c.Fragments())
            {
                parser.Feed(fragment);
                var mirror = parser.GetJsonNode();
                if (steps++ % c.SnapshotEvery == 0 && parser.Root is not null)
                {
                    var tree = JsonNode.Parse(parser.Root.ToJsonString(), documentOptions: s_deepDocument);
                    Assert.True(JsonNode.DeepEquals(tree, mirror), $"mirror {mirror?.ToJsonString()} != tree {tree?.ToJsonString()}");
                }
            }

            parser.Complete();
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(c.Document, documentOptions: s_deepDocument), parser.GetJsonNode()));
        });

    [Property(MaxTest = 500)]
    public Property Changes_ReplayedInOrder_RebuildEveryStringsText() => Prop.ForAll(
        Cases().ToArbitrary(),
        c =>
        {
            // A UI that only applies Added and Appended changes must end up with the same strings as the tree.
            var parser = new PartialJsonParser(s_deep);
            var seen = new Dictionary<PartialJsonString, StringBuilder>(ReferenceEqualityComparer.Instance);
            foreach (var fragment in c.Fragments())
            {
                parser.Feed(fragment);
                foreach (var change in parser.Changes)
                {
                    if (change.Node is PartialJsonString text)
                    {
                        if (change.Kind == PartialJsonChangeKind.Added)
                        {
                            Assert.DoesNotContain(text, seen.Keys);
                            seen[text] = new StringBuilder().Append(text.AsSpan());
                        }
                        else if (change.Kind == PartialJsonChangeKind.Appended)
                        {
                            seen[text].Append(change.AppendedText);
                        }
                    }
                }
            }

            foreach (var (node, text) in seen)
            {
                Assert.Equal(node.GetString(), text.ToString());
            }
        });

    private static Gen<Case> Cases() =>
        from document in JsonTextGenerators.Document()
        from sizes in JsonTextGenerators.Fragmentation()
        from asChars in Gen.Elements(false, false, true)
        select new Case(document, sizes, asChars);

    public sealed record Case(string Document, int[] Sizes, bool AsChars)
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(Document);

        public int SnapshotEvery => Math.Max(1, _bytes.Length / 64);

        /// <summary>The document's bytes cut by the sizes, cycled; as chars, cuts fall on character boundaries.</summary>
        public IEnumerable<byte[]> Fragments()
        {
            var offset = 0;
            for (var i = 0; offset < _bytes.Length; i++)
            {
                var size = (int)Math.Min(Sizes[i % Sizes.Length], _bytes.Length - offset);
                var end = offset + size;
                if (AsChars)
                {
                    while (end < _bytes.Length && (_bytes[end] & 0xC0) == 0x80)
                    {
                        end++;
                    }
                }

                yield return _bytes[offset..end];
                offset = end;
            }
        }

        public override string ToString() => $"{(AsChars ? "chars" : "bytes")} cut [{string.Join(",", Sizes)}]: {Document}";
    }
}
