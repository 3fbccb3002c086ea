using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using static Hush.Engine.Kernels.Winograd.WinogradTransforms;

namespace Hush.Engine.Kernels.Winograd;

/// <summary>Winograd's input layout: NCHW tensors (or the two channel parts of one, <see cref="ChannelParts"/>) copied
/// into the zero-padded channels-last buffer P [N, Hp, Wp, C] in 16×16 register transposes, optionally masked by a
/// LeakyReLU derivative or scaled on the way.</summary>
internal static unsafe partial class WinogradConv
{
    // dst [N, Hp, Wp, C] (pooled) = src [N, C, H, W] placed at (offset, offset), zeros elsewhere; with a mask source m
    // (same shape as src), each value is first multiplied by 1 where m > 0 and by slope elsewhere; with a scale s (same
    // shape; not with a mask), by s.
    // cp ≥ c: channel stride of dst; channels c..cp-1 are zero.
    private static float[] Padded(float[] src, Tiling t, int c, int cp, int offset, float[]? mask, float slope, float[]? scale = null) =>
        Padded(ChannelParts.Whole(src, c), t, cp, offset, mask, slope, scale);

    // The same with src given as its two channel parts (the mask, when given, has src's whole shape and needs one part;
    // the scale has the whole shape).
    private static float[] Padded(ChannelParts src, Tiling t, int cp, int offset, float[]? mask, float slope, float[]? scale = null)
    {
        if (mask != null && src.CB != 0) throw new ArgumentException("A mask source needs the input in one part.", nameof(mask));
        int n = t.N, hp = t.Hp;
        float[] dst = Scratch.Rent(n * hp * t.Wp * cp);
        Par.Balanced(n * hp, new PaddedRows(src, dst, mask, slope, scale, t, cp, offset));
        return dst;
    }

    // Padded over the rows r (image, padded row) in [r0, r1)
    private readonly struct PaddedRows(ChannelParts src, float[] dst, float[]? mask, float slope, float[]? scale, Tiling t, int cp, int offset)
        : IRangeBody
    {
        public void Run(int r0, int r1)
        {
            int h = t.H, w = t.W, hp = t.Hp, wp = t.Wp, c = src.Channels;
            nint rowLength = (nint)wp * cp, plane = (nint)h * w;
            fixed (float* sa = src.A, sb = src.B, d = dst, m = mask, sc = scale)
            {
                for (int r = r0; r < r1; r++)
                {
                    int img = r / hp, y = r % hp - offset;
                    float* dr = d + r * rowLength;
                    if ((uint)y >= (uint)h)
                    {
                        new Span<float>(dr, (int)rowLength).Clear();
                        continue;
                    }

                    new Span<float>(dr, offset * cp).Clear();
                    new Span<float>(dr + (offset + w) * cp, (wp - offset - w) * cp).Clear();
                    // dr[(offset + x)*cp + ch] = src[img, ch, y, x], 16×16 blocks at a time, part by part
                    float* row = dr + offset * cp;
                    nint at = (nint)img * c * plane + (nint)y * w; // in the whole shape (mask, scale)
                    ToChannelsLast(src.Plane(sa, sb, img, 0, plane) + (nint)y * w, m == null ? null : m + at, slope,
                        sc == null ? null : sc + at, plane, row, src.CA, cp, w);
                    if (src.CB > 0)
                        ToChannelsLast(src.Plane(sa, sb, img, src.CA, plane) + (nint)y * w, null, slope,
                            sc == null ? null : sc + at + src.CA * plane, plane, row + src.CA, src.CB, cp, w);
                    if (cp > c)
                    {
                        for (int x = 0; x < w; x++) new Span<float>(row + (nint)x * cp + c, cp - c).Clear();
                    }
                }
            }
        }
    }

    // dst[x*cp + ch] = src[ch*plane + x] (⊙ (mask > 0 ? 1 : slope)) (⊙ scale) for ch < c, x < w (one image row of c
    // channels to channels-last; channel stride cp ≥ c, the channels from c on left as they are).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ToChannelsLast(float* src, float* mask, float slope, float* scale, nint plane, float* dst, int c, int cp, int w)
    {
        const int b = Transpose.Block;
        int c0 = 0;
        for (; c0 + b <= c; c0 += b)
        {
            int x = 0;
            for (; x + b <= w; x += b)
            {
                if (mask != null) Transpose.Block16Masked(src + c0 * plane + x, mask + c0 * plane + x, plane, slope, dst + (nint)x * cp + c0, cp);
                else if (scale != null) Transpose.Block16Scaled(src + c0 * plane + x, scale + c0 * plane + x, plane, dst + (nint)x * cp + c0, cp);
                else Transpose.Block16(src + c0 * plane + x, plane, dst + (nint)x * cp + c0, cp);
            }

            TailScalar(src + c0 * plane + x, mask == null ? null : mask + c0 * plane + x, slope, scale == null ? null : scale + c0 * plane + x,
                plane, dst + (nint)x * cp + c0, cp, b, w - x);
        }

        TailScalar(src + c0 * plane, mask == null ? null : mask + c0 * plane, slope, scale == null ? null : scale + c0 * plane, plane,
            dst + c0, cp, c - c0, w);
    }

    private static void TailScalar(float* src, float* mask, float slope, float* scale, nint plane, float* dst, int c, int channels, int cols)
    {
        for (int ch = 0; ch < channels; ch++)
        {
            for (int x = 0; x < cols; x++)
            {
                float v = src[ch * plane + x];
                if (mask != null && !(mask[ch * plane + x] > 0f)) v *= slope;
                if (scale != null) v *= scale[ch * plane + x];
                dst[(nint)x * c + ch] = v;
            }
        }
    }
}
