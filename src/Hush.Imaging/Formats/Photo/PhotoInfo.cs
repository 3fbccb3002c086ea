namespace Hush.Imaging.Formats.Photo;

/// <summary>What a photo's header says: upright size (EXIF orientation applied), colour channels, whether it may
/// carry alpha, and the EXIF orientation (1 when absent).</summary>
internal sealed record PhotoInfo(PhotoFormat Format, int Width, int Height, int Channels, bool MayHaveAlpha, int Orientation)
{
    public string Name => PhotoFormats.Name(Format);
}
