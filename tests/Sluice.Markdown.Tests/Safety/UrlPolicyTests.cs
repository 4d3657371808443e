using Sluice.Markdown.Safety;

namespace Sluice.Markdown.Tests.Safety;

public sealed class UrlPolicyTests
{
    [Theory]
    [InlineData("https://example.com/a?b=c")]
    [InlineData("http://example.com")]
    [InlineData("HTTPS://EXAMPLE.COM")]
    [InlineData("mailto:team@example.com")]
    [InlineData("/docs/page")]
    [InlineData("../up")]
    [InlineData("#anchor")]
    [InlineData("page?x=a:b")]
    [InlineData("")]
    public void IsAllowed_HttpMailtoOrRelative_IsTrue(string url)
    {
        Assert.True(UrlPolicy.IsAllowed(url, isImage: false, allowDataImages: false));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com")]
    public void IsAllowed_OtherSchemes_IsFalse(string url)
    {
        Assert.False(UrlPolicy.IsAllowed(url, isImage: false, allowDataImages: false));
    }

    [Fact]
    public void IsAllowed_DataImage_OnlyWhenEnabledAndRaster()
    {
        Assert.False(UrlPolicy.IsAllowed("data:image/png;base64,AAAA", isImage: true, allowDataImages: false));
        Assert.True(UrlPolicy.IsAllowed("data:image/png;base64,AAAA", isImage: true, allowDataImages: true));
        Assert.False(UrlPolicy.IsAllowed("data:image/svg+xml;base64,AAAA", isImage: true, allowDataImages: true));
        Assert.False(UrlPolicy.IsAllowed("data:image/png;base64,AAAA", isImage: false, allowDataImages: true));
    }
}
