using System.Text.Json;

namespace Sluice.Json.Tests;

/// <summary>What <see cref="PartialJsonParser.Changes"/> reports, fragment by fragment.</summary>
public class PartialJsonParserChangeTests
{
    [Fact]
    public void Changes_StringGrowsAcrossFragments_ReportsAddedThenAppended()
    {
        var parser = new PartialJsonParser();

        parser.Feed("{\"items\":[{\"name\":\"ab"u8);
        Assert.Equal(["Added $", "Added $.items", "Added $.items[0]", "Added $.items[0].name"], Describe(parser));

        parser.Feed("c\\u00e9"u8);
        Assert.Equal(["Appended $.items[0].name \"c\u00e9\""], Describe(parser));

        parser.Feed("\"}"u8);
        Assert.Equal(["Completed $.items[0].name", "Completed $.items[0]"], Describe(parser));

        parser.Feed(",7"u8);
        Assert.Equal(["Added $.items[1]"], Describe(parser));

        parser.Feed("5]}"u8);
        Assert.Equal(["Updated $.items[1]", "Completed $.items[1]", "Completed $.items", "Completed $"], Describe(parser));
        Assert.Equal(PartialJsonStatus.Complete, parser.Status);
    }

    [Fact]
    public void Changes_HalfEscape_ReportsNothingUntilTheCharacterIsComplete()
    {
        var parser = new PartialJsonParser();
        parser.Feed("[\"a"u8);

        parser.Feed("\\u00"u8);
        Assert.Empty(parser.Changes.ToArray());

        parser.Feed("41"u8);
        Assert.Equal(["Appended $[0] \"A\""], Describe(parser));
    }

    [Fact]
    public void Changes_PropertyName_AppearsOnlyWithItsValue()
    {
        var parser = new PartialJsonParser();
        parser.Feed("{\"first name\""u8);
        Assert.Equal(["Added $"], Describe(parser));

        parser.Feed(": tr"u8);
        Assert.Empty(parser.Changes.ToArray());

        parser.Feed("ue"u8);
        var change = Assert.Single(parser.Changes.ToArray());
        Assert.Equal(PartialJsonChangeKind.Added, change.Kind);
        Assert.Equal("$['first name']", change.Node.GetPath());
        Assert.Equal(JsonValueKind.True, change.Node.Kind);
        Assert.True(change.Node.IsComplete);
    }

    [Fact]
    public void Changes_NumberWithheldUntilValid_AddedOnceItIs()
    {
        var parser = new PartialJsonParser();
        parser.Feed("[-"u8);
        Assert.Equal(["Added $"], Describe(parser));

        parser.Feed("1"u8);
        Assert.Equal(["Added $[0]"], Describe(parser));

        parser.Feed(".");
        Assert.Empty(parser.Changes.ToArray());

        parser.Feed("5");
        Assert.Equal(["Updated $[0]"], Describe(parser));
        Assert.Equal("-1.5", ((PartialJsonNumber)((PartialJsonArray)parser.Root!)[0]).Text);
    }

    [Fact]
    public void AppendedText_IsTheNewCharactersOnly()
    {
        var parser = new PartialJsonParser();
        parser.Feed("\"hello"u8);

        parser.Feed(", world"u8);

        var change = Assert.Single(parser.Changes.ToArray());
        Assert.Equal(", world", change.AppendedText.ToString());
        Assert.Equal("hello, world", ((PartialJsonString)parser.Root!).GetString());
    }

    [Fact]
    public void GetJsonNode_AfterFragments_IsUpdatedInPlace()
    {
        var parser = new PartialJsonParser();
        parser.Feed("{\"city\":\"Par"u8);
        var node = parser.GetJsonNode()!;
        Assert.Equal("Par", node["city"]!.GetValue<string>());

        parser.Feed("is\",\"days\":[1,2"u8);

        Assert.Same(node, parser.GetJsonNode());
        Assert.Equal("Paris", node["city"]!.GetValue<string>());
        Assert.Equal("[1,2]", node["days"]!.ToJsonString());
    }

    [Fact]
    public void GetPath_NamesThatAreNotIdentifiers_AreQuoted()
    {
        var parser = new PartialJsonParser();

        parser.Feed("{\"a\":{\"it's\":[{\"1x\":\"\"}]}}"u8);

        Assert.Equal("$.a['it\\'s'][0]['1x']", parser.Changes[4].Node.GetPath());
    }

    private static string[] Describe(PartialJsonParser parser) => [.. parser.Changes.ToArray().Select(c => c.ToString())];
}
