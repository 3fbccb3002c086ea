namespace Hush.Imaging.Formats.Png;

/// <summary>
/// The five PNG scanline filters (None, Sub, Up, Average, Paeth), both directions.
/// <c>stride</c> is the byte distance to the corresponding byte of the previous pixel.
/// A missing previous row is passed as an all-zero span, as the spec defines it.
/// </summary>
internal static class PngFilters
{
    public const int Count = 5;

    /// <summary>Reverses filter <paramref name="type"/> in place on <paramref name="row"/>.</summary>
    public static void Unfilter(int type, Span<byte> row, ReadOnlySpan<byte> previous, int stride)
    {
        switch (type)
        {
            case 0:
                break;
            case 1:
                for (int i = stride; i < row.Length; i++)
                    row[i] += row[i - stride];
                break;
            case 2:
                for (int i = 0; i < row.Length; i++)
                    row[i] += previous[i];
                break;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= stride ? row[i - stride] : 0;
                    row[i] += (byte)((left + previous[i]) >> 1);
                }
                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= stride ? row[i - stride] : 0;
                    int upLeft = i >= stride ? previous[i - stride] : 0;
                    row[i] += Paeth(left, previous[i], upLeft);
                }
                break;
            default:
                throw ThrowHelper.Format($"PNG scanline uses unknown filter type {type}");
        }
    }

    /// <summary>Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="output"/>.</summary>
    public static void Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int stride, Span<byte> output)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= stride ? row[i - stride] : 0;
            int upLeft = i >= stride ? previous[i - stride] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => left,
                2 => previous[i],
                3 => (left + previous[i]) >> 1,
                _ => Paeth(left, previous[i], upLeft),
            };
            output[i] = (byte)(row[i] - predictor);
        }
    }

    /// <summary>Picks the neighbour (left, up, up-left) closest to left + up - upLeft; ties in that order.</summary>
    public static byte Paeth(int left, int up, int upLeft)
    {
        int estimate = left + up - upLeft;
        int dLeft = Math.Abs(estimate - left);
        int dUp = Math.Abs(estimate - up);
        int dUpLeft = Math.Abs(estimate - upLeft);
        if (dLeft <= dUp && dLeft <= dUpLeft)
            return (byte)left;
        return dUp <= dUpLeft ? (byte)up : (byte)upLeft;
    }
}
