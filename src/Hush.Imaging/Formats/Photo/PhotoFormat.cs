namespace Hush.Imaging.Formats.Photo;

/// <summary>The photo formats read through ImageSharp, recognised by their magic bytes.</summary>
internal enum PhotoFormat
{
    None,
    Jpeg,
    Bmp,
    Gif,
    WebP,
}

internal static class PhotoFormats
{
    /// <summary>The format the bytes start with, or <see cref="PhotoFormat.None"/>.</summary>
    public static PhotoFormat Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
            return PhotoFormat.Jpeg;
        if (bytes.Length >= 6 && (bytes[..6].SequenceEqual("GIF87a"u8) || bytes[..6].SequenceEqual("GIF89a"u8)))
            return PhotoFormat.Gif;
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
            return PhotoFormat.WebP;
        if (bytes.Length >= 2 && bytes[0] == (byte)'B' && bytes[1] == (byte)'M')
            return PhotoFormat.Bmp;
        return PhotoFormat.None;
    }

    /// <summary>The format a file name asks for when writing, or <see cref="PhotoFormat.None"/>.</summary>
    public static PhotoFormat FromExtension(string extension) => extension switch
    {
        ".jpg" or ".jpeg" => PhotoFormat.Jpeg,
        ".bmp" => PhotoFormat.Bmp,
        ".webp" => PhotoFormat.WebP,
        _ => PhotoFormat.None,
    };

    public static string Name(PhotoFormat format) => format switch
    {
        PhotoFormat.Jpeg => "JPEG",
        PhotoFormat.Bmp => "BMP",
        PhotoFormat.Gif => "GIF",
        PhotoFormat.WebP => "WebP",
        _ => "unknown",
    };
}
