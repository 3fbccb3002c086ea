namespace Hush.Engine.Kernels;

/// <summary>
/// An NCHW tensor [N, CA + CB, H, W] held as its two channel parts, A [N, CA, H, W] and B [N, CB, H, W], read and written
/// where they lie instead of through a concatenated copy. A U-Net decoder's first convolution takes [up-sampled features |
/// skip] this way: the concatenation (a full write and read of the stage input) and its backward split disappear. Two
/// parts cover every concatenation a U-Net here feeds a convolution (decoder input and skip, Blind2Grad's horizontal and
/// vertical differences) and keep the struct small and allocation-free. CB = 0 is A alone. As a gradient target either
/// array may be null: that part needs no gradient (a skip from the masked input) and nothing is written for it.
/// </summary>
internal readonly struct ChannelParts(float[]? a, int channelsA, float[]? b = null, int channelsB = 0)
{
    public float[]? A { get; } = a;
    public float[]? B { get; } = b;
    public int CA { get; } = channelsA;
    public int CB { get; } = channelsB;
    public int Channels => CA + CB;

    /// <summary>One array holding all channels.</summary>
    public static ChannelParts Whole(float[]? x, int channels) => new(x, channels);

    /// <summary>The start of plane (n, c) of the concatenation, given A's and B's pinned starts (null when that part's
    /// array is null).</summary>
    public unsafe float* Plane(float* a, float* b, int n, int c, nint plane) =>
        c < CA ? (a == null ? null : a + ((nint)n * CA + c) * plane) : (b == null ? null : b + ((nint)n * CB + c - CA) * plane);
}
