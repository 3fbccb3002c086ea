namespace Hush.Imaging.Formats.Npy;

/// <summary>
/// NPY files carry no axis names, so they are inferred from the shape (unless the caller names them):
/// 2-D is YX; 3-D is YXC when the last size is 3 or 4 (colour channels), else ZYX (a stack);
/// 4-D is ZYXC by the same test on the last size, else ZCYX. Other ranks need explicit axes.
/// </summary>
internal static class NpyAxes
{
    public static string Infer(IReadOnlyList<long> shape)
    {
        bool channelsLast = shape.Count > 0 && shape[^1] is 3 or 4;
        return shape.Count switch
        {
            2 => "YX",
            3 => channelsLast ? "YXC" : "ZYX",
            4 => channelsLast ? "ZYXC" : "ZCYX",
            _ => throw ThrowHelper.Format($"NPY array has {shape.Count} dimensions; only 2-D, 3-D and 4-D arrays get axes by default (pass axes explicitly)"),
        };
    }

    /// <summary>Checks caller-supplied axes against the shape (one upper-case letter per dimension, Y and X present).</summary>
    public static string Validate(string axes, IReadOnlyList<long> shape)
    {
        string upper = axes.ToUpperInvariant();
        bool valid = upper.Length == shape.Count
            && upper.All(c => c is >= 'A' and <= 'Z')
            && upper.Distinct().Count() == upper.Length
            && upper.Contains('Y') && upper.Contains('X');
        if (!valid)
            ThrowHelper.ThrowFormat($"axes '{axes}' do not fit the NPY shape ({string.Join(", ", shape)}): need one distinct letter per dimension, including Y and X");
        return upper;
    }
}
