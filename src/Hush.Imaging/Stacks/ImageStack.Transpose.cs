namespace Hush.Imaging;

public sealed partial class ImageStack
{
    /// <summary>
    /// Reorders the axes (a permutation of <see cref="Axes"/>), moving the samples so that the result is
    /// again C order over its new shape. Example: "YXS" to "SYX" turns interleaved RGB into planes.
    /// </summary>
    public ImageStack Transpose(string axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length != Axes.Length || axes.Any(a => Axes.IndexOf(a) < 0) || axes.Distinct().Count() != axes.Length)
            throw new ArgumentException($"'{axes}' is not a permutation of '{Axes}'.", nameof(axes));
        if (axes == Axes)
            return this;

        int rank = Rank;
        var newShape = new int[rank];
        var sourceAxis = new int[rank]; // new axis i is old axis sourceAxis[i]
        for (int i = 0; i < rank; i++)
        {
            sourceAxis[i] = Axes.IndexOf(axes[i]);
            newShape[i] = shape[sourceAxis[i]];
        }

        // Stride of each new axis measured in the old (source) array.
        var oldStrides = Strides(shape);
        var stridesInSource = new long[rank];
        for (int i = 0; i < rank; i++)
            stridesInSource[i] = oldStrides[sourceAxis[i]];

        var data = new float[Length];
        double[]? exact = ExactData is null ? null : new double[Length];
        var counter = new int[rank];
        long source = 0;
        for (long target = 0; target < data.LongLength; target++)
        {
            data[target] = Data[source];
            if (exact != null)
                exact[target] = ExactData![source];

            // Odometer over the new shape, last axis fastest, tracking the source offset incrementally.
            for (int i = rank - 1; i >= 0; i--)
            {
                source += stridesInSource[i];
                if (++counter[i] < newShape[i])
                    break;
                source -= stridesInSource[i] * newShape[i];
                counter[i] = 0;
            }
        }
        return new ImageStack(axes, newShape, SampleType, data, exact, Metadata);
    }

    /// <summary>C-order strides, in samples, of an array of the given shape.</summary>
    internal static long[] Strides(IReadOnlyList<int> shape)
    {
        var strides = new long[shape.Count];
        long stride = 1;
        for (int i = shape.Count - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }
}
