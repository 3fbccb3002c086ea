using Hush.Engine;

namespace Hush.Denoising.Methods.Bm3d;

/// <summary>BM3D's two stages on planar images [C, H, W] on the 0–255 scale: grouping by block matching on one plane,
/// collaborative filtering of every channel's group in a 3-D transform domain (hard thresholding, then Wiener
/// shrinkage against the basic estimate) and weighted aggregation of the filtered blocks under a Kaiser window.
/// Reference rows are processed in batches, one row per worker; each worker aggregates into buffers of its own,
/// summed in worker order at the end, so the result depends only on the thread count.</summary>
internal sealed partial class Bm3dFilter
{
    private readonly int _w, _h, _c;
    private readonly float[] _sigma;
    private readonly Bm3dParameters _p;

    /// <summary><paramref name="sigma"/>: the noise deviation of each channel (0–255 scale, &gt; 0).</summary>
    public Bm3dFilter(int width, int height, int channels, float[] sigma, Bm3dParameters parameters)
    {
        int needed = Math.Max(parameters.HardThreshold.Block, parameters.Wiener.Block);
        if (width < needed || height < needed)
            throw new ArgumentException($"BM3D needs at least {needed}x{needed} pixels, got {width}x{height}");
        (_w, _h, _c, _sigma, _p) = (width, height, channels, sigma, parameters);
    }

    /// <summary>Batches of reference rows in one stage: progress counts them.</summary>
    public int Batches(Bm3dStage stage) => (Positions(_h, stage.Block, stage.Step).Length + Parts - 1) / Parts;

    /// <summary>Workers, each with its own accumulators: one reference row each per batch.</summary>
    private static int Parts => Math.Max(1, Threading.MaxThreads);

    /// <summary>The basic estimate: groups matched on <paramref name="match"/> [H, W], hard-thresholded.</summary>
    public float[] HardThreshold(float[] noisy, float[] match, Action afterBatch)
    {
        var stage = _p.HardThreshold;
        return Run(stage, afterBatch, ws =>
        {
            int x = 0, last = _w - stage.Block;
            while (true)
            {
                int kept = ThresholdGroup(ws, noisy, match, x, ws.Row);
                if (x == last) break;
                x = Math.Min(x + (kept < _p.SparseGroup ? stage.Block - 1 : stage.Step), last);
            }
        });
    }

    /// <summary>The final estimate: groups matched on <paramref name="match"/> (the basic estimate's matching plane), the
    /// noisy groups shrunk by the empirical Wiener gains of the basic estimate's groups.</summary>
    public float[] Wiener(float[] noisy, float[] basic, float[] match, Action afterBatch)
    {
        var stage = _p.Wiener;
        int[] xs = Positions(_w, stage.Block, stage.Step);
        return Run(stage, afterBatch, ws =>
        {
            foreach (int x in xs) WienerGroup(ws, noisy, basic, match, x, ws.Row);
        });
    }

    /// <summary>0, step, 2·step, … and the last block position size − block, so every pixel is covered.</summary>
    internal static int[] Positions(int size, int block, int step)
    {
        var list = new List<int>();
        for (int p = 0; p <= size - block; p += step) list.Add(p);
        if (list[^1] != size - block) list.Add(size - block);
        return [.. list];
    }

    private float[] Run(Bm3dStage stage, Action afterBatch, Action<Workspace> row)
    {
        int[] ys = Positions(_h, stage.Block, stage.Step);
        int parts = Parts;
        var spaces = new Workspace[parts];
        for (int p = 0; p < parts; p++) spaces[p] = new Workspace(stage, _c, _w * _h);
        for (int b = 0; b < ys.Length; b += parts)
        {
            int count = Math.Min(parts, ys.Length - b), first = b;
            Threading.ForEachPart(count, p =>
            {
                spaces[p].Row = ys[first + p];
                row(spaces[p]);
            });
            afterBatch();
        }

        var num = spaces[0].Numerator;
        var den = spaces[0].Denominator;
        for (int p = 1; p < parts; p++)
        {
            for (int i = 0; i < num.Length; i++) num[i] += spaces[p].Numerator[i];
            for (int i = 0; i < den.Length; i++) den[i] += spaces[p].Denominator[i];
        }
        for (int i = 0; i < num.Length; i++) num[i] /= den[i];
        return num;
    }

    /// <summary>One worker's state: the matcher, the group being filtered and its aggregation buffers.</summary>
    private sealed class Workspace
    {
        public readonly BlockMatcher Matcher;
        public readonly BlockTransform Transform;
        public readonly int[] Found;
        public readonly float[] Group, Pilot, Block, Tmp, HaarTmp, WeightedWindow;
        public readonly float[] Numerator, Denominator;
        public int Row;

        public Workspace(Bm3dStage stage, int channels, int planeSize)
        {
            Matcher = new BlockMatcher(stage);
            Transform = new BlockTransform(stage.Transform, stage.Block, stage.KaiserBeta);
            int nn = stage.Block * stage.Block;
            Found = new int[stage.MaxGroup];
            Group = new float[nn * stage.MaxGroup];
            Pilot = new float[nn * stage.MaxGroup];
            Block = new float[nn];
            Tmp = new float[nn];
            HaarTmp = new float[nn * stage.MaxGroup];
            WeightedWindow = new float[nn];
            Numerator = new float[channels * planeSize];
            Denominator = new float[channels * planeSize];
        }
    }
}
