namespace Hush.Imaging.Formats.Png;

/// <summary>PNG colour types (IHDR byte 9).</summary>
internal enum PngColorType : byte
{
    Grey = 0,
    Rgb = 2,
    Palette = 3,
    GreyAlpha = 4,
    RgbAlpha = 6,
}
