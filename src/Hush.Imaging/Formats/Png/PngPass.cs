namespace Hush.Imaging.Formats.Png;

/// <summary>
/// The seven Adam7 interlace passes: each pass samples the image on its own grid of
/// (start, step) in x and y. A non-interlaced image is treated as a single pass covering everything.
/// </summary>
internal readonly record struct PngPass(int StartX, int StartY, int StepX, int StepY)
{
    public static readonly PngPass[] Adam7 =
    [
        new(0, 0, 8, 8),
        new(4, 0, 8, 8),
        new(0, 4, 4, 8),
        new(2, 0, 4, 4),
        new(0, 2, 2, 4),
        new(1, 0, 2, 2),
        new(0, 1, 1, 2),
    ];

    public static readonly PngPass[] Whole = [new(0, 0, 1, 1)];

    /// <summary>Pixels per row of this pass for an image of width <paramref name="width"/> (may be 0).</summary>
    public int Columns(int width) => width <= StartX ? 0 : (width - StartX + StepX - 1) / StepX;

    /// <summary>Rows of this pass for an image of height <paramref name="height"/> (may be 0).</summary>
    public int Rows(int height) => height <= StartY ? 0 : (height - StartY + StepY - 1) / StepY;
}
