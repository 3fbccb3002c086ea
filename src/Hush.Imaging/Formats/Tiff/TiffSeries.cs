namespace Hush.Imaging.Formats.Tiff;

/// <summary>The pages that form the image and the axes/shape to put them in, as tifffile would report them.</summary>
internal sealed record TiffSeries(IReadOnlyList<TiffPage> Pages, string Axes, int[] Shape, string AxesSource);

/// <summary>
/// Chooses the series (the pages of the main image) and its axes. Metadata is tried in tifffile's order:
/// ImageJ hyperstack description, OME-XML, tifffile's JSON "shaped" description; without any, one page is
/// YX / YXS / SYX and several equal pages get a leading I axis. Metadata that does not fit the pages
/// (wrong plane count) is ignored rather than trusted.
/// </summary>
internal static class TiffSeriesBuilder
{
    public static TiffSeries Build(IReadOnlyList<TiffPage> allPages)
    {
        var first = allPages[0];
        // Thumbnails and pyramid levels (NewSubfileType bit 0), and pages of another geometry, belong to other series.
        var pages = allPages.Where(p => !p.ReducedResolution && p.SameLayoutAs(first)).ToList();
        if (pages.Count == 0 || pages[0] != first)
            pages.Insert(0, first);
        var (pageAxes, pageShape) = first.PageShape;
        string? description = first.Description;

        if (description != null)
        {
            var described = ImageJDescription.TryAxes(description, pages.Count)
                ?? OmeXmlDescription.TryAxes(description, pages.Count, first.SamplesPerPixel)
                ?? ShapedDescription.TryAxes(description, pages.Count, pageAxes, pageShape);
            if (described is { } found)
            {
                var used = pages.Take(found.Pages).ToList();
                return new TiffSeries(used, found.LeadingAxes + (found.ReplacesPageAxes ? "" : pageAxes),
                    [.. found.LeadingShape, .. found.ReplacesPageAxes ? [] : pageShape], found.Source);
            }
        }

        return pages.Count == 1
            ? new TiffSeries(pages, pageAxes, pageShape, "pages")
            : new TiffSeries(pages, "I" + pageAxes, [pages.Count, .. pageShape], "pages");
    }
}

/// <summary>
/// Axes a description assigns to the pages. <see cref="LeadingAxes"/> go in front of the page axes, unless
/// <see cref="ReplacesPageAxes"/> (tifffile's JSON gives the full shape). <see cref="Pages"/> pages are used.
/// </summary>
internal readonly record struct DescribedAxes(string LeadingAxes, int[] LeadingShape, int Pages, string Source, bool ReplacesPageAxes = false);
