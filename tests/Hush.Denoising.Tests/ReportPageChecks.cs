using System.Text.RegularExpressions;
using Hush.Imaging;

namespace Hush.Testing;

/// <summary>Checks on a report page's HTML shared by the library's and the CLI's tests (linked into both).</summary>
internal static partial class ReportPageChecks
{
    /// <summary>Asserts the page needs nothing from elsewhere: no http(s) address anywhere, every src and href a data:
    /// URI or a fragment, no stylesheet link or external script, and every img a PNG data URI that decodes; and that it
    /// has images unless <paramref name="imagesExpected"/> is false. Returns the decoded images with their alt texts, in
    /// page order.</summary>
    public static IReadOnlyList<(string Alt, Image Image)> AssertSelfContained(string html, bool imagesExpected = true)
    {
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("<link\\b", html);
        Assert.DoesNotMatch("<script[^>]*\\bsrc=", html);
        foreach (Match m in Reference().Matches(html))
            Assert.True(m.Groups[2].Value.StartsWith("data:", StringComparison.Ordinal) || m.Groups[2].Value.StartsWith('#'),
                $"{m.Groups[1].Value}=\"{m.Groups[2].Value[..Math.Min(60, m.Groups[2].Value.Length)]}\" is not inline");
        var images = new List<(string, Image)>();
        foreach (Match tag in ImgTag().Matches(html))
        {
            string src = Attribute(tag.Value, "src");
            const string prefix = "data:image/png;base64,";
            Assert.StartsWith(prefix, src);
            images.Add((Attribute(tag.Value, "alt"), PngDecoder.Decode(Convert.FromBase64String(src[prefix.Length..]))));
        }
        if (imagesExpected) Assert.NotEmpty(images);
        return images;
    }

    /// <summary>How many points the training loss polyline has (fails when there is none).</summary>
    public static int TrainingPoints(string html)
    {
        var m = Polyline().Match(html);
        Assert.True(m.Success, "the page has no training loss polyline");
        return m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private static string Attribute(string tag, string name)
    {
        var m = Regex.Match(tag, $"\\b{name}=\"([^\"]*)\"");
        Assert.True(m.Success, $"{tag[..Math.Min(80, tag.Length)]} has no {name}");
        return m.Groups[1].Value;
    }

    [GeneratedRegex("\\b(src|href)=\"([^\"]*)\"")]
    private static partial Regex Reference();

    [GeneratedRegex("<img\\b[^>]*>")]
    private static partial Regex ImgTag();

    [GeneratedRegex("<polyline class=\"loss-training\" points=\"([^\"]*)\"")]
    private static partial Regex Polyline();
}
