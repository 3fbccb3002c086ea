using System.Globalization;
using System.Text;
using Hush.Denoising.Training;

namespace Hush.Denoising.Reports;

/// <summary>The training loss against the step as an inline SVG chart: one polyline (class <c>loss-training</c>) with a
/// point per training report of finite loss, and, when a held-out loss is given, a second one (class
/// <c>loss-held-out</c>). The y axis is logarithmic when every loss is positive and they span a factor of 20 or more
/// (a first step's loss would otherwise flatten the rest), else linear.</summary>
internal static class LossCurveSvg
{
    /// <summary>Above this many points a series is averaged in equal runs of consecutive reports down to this many, so
    /// a stack of many planes does not make a page of megabytes.</summary>
    public const int MaxPoints = 20000;

    private const double Width = 720, Height = 300, Left = 72, Right = 16, Top = 16, Bottom = 44;

    /// <summary>The chart, or null when no report carries a finite loss (a method that trains nothing).</summary>
    public static string? Build(IReadOnlyList<TrainingProgress> training, IReadOnlyList<TrainingProgress>? heldOut)
    {
        var main = Finite(training);
        if (main.Length == 0) return null;
        var other = heldOut is null ? [] : Finite(heldOut);
        var all = main.Concat(other).ToArray();
        double xMin = all.Min(p => p.Iteration), xMax = all.Max(p => p.Iteration);
        if (xMax == xMin) xMax = xMin + 1;
        double yLow = all.Min(p => p.Loss), yHigh = all.Max(p => p.Loss);
        bool log = yLow > 0 && yHigh / yLow >= 20;
        Func<double, double> toAxis = log ? Math.Log10 : v => v;
        double aLow = toAxis(yLow), aHigh = toAxis(yHigh);
        if (aHigh == aLow) (aLow, aHigh) = (aLow - 0.5 * Math.Max(Math.Abs(aLow), 1e-6), aHigh + 0.5 * Math.Max(Math.Abs(aHigh), 1e-6));
        string X(double iteration) => F(Left + (iteration - xMin) / (xMax - xMin) * (Width - Left - Right));
        string Y(double loss) => F(Top + (aHigh - toAxis(loss)) / (aHigh - aLow) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"loss-curve\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"training loss against step\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" class=\"plot-area\"/>");
        foreach (double loss in Ticks(aLow, aHigh, log))
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(loss)}\" y2=\"{Y(loss)}\" class=\"grid\"/><text x=\"{Left - 6}\" y=\"{Y(loss)}\" class=\"tick-y\">{loss:G3}</text>");
        foreach (double step in new[] { xMin, (xMin + xMax) / 2, xMax }.Distinct())
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(step)}\" y=\"{Height - Bottom + 16}\" class=\"tick-x\">{Math.Round(step):0}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" class=\"axis-title\">step</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{(Top + Height - Bottom) / 2}\" class=\"axis-title\" transform=\"rotate(-90 14 {(Top + Height - Bottom) / 2})\">loss{(log ? " (log scale)" : "")}</text>");
        Polyline(svg, "loss-training", main, X, Y);
        if (other.Length > 0) Polyline(svg, "loss-held-out", other, X, Y);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>How many points the training series is drawn with (after averaging, if any).</summary>
    public static int PointCount(IReadOnlyList<TrainingProgress> training) => Finite(training).Length;

    /// <summary>How many training reports had a non-finite loss and are not drawn.</summary>
    public static int Dropped(IReadOnlyList<TrainingProgress> training) => training.Count(p => !float.IsFinite(p.Loss));

    private static void Polyline(StringBuilder svg, string cssClass, (double Iteration, double Loss)[] points,
        Func<double, string> x, Func<double, string> y)
    {
        svg.Append($"<polyline class=\"{cssClass}\" points=\"");
        for (int i = 0; i < points.Length; i++)
            svg.Append(i == 0 ? "" : " ").Append(x(points[i].Iteration)).Append(',').Append(y(points[i].Loss));
        svg.Append("\"/>");
    }

    private static (double Iteration, double Loss)[] Finite(IReadOnlyList<TrainingProgress> reports)
    {
        var points = reports.Where(p => float.IsFinite(p.Loss)).Select(p => ((double)p.Iteration, (double)p.Loss)).ToArray();
        if (points.Length <= MaxPoints) return points;
        var averaged = new (double, double)[MaxPoints];
        for (int k = 0; k < MaxPoints; k++)
        {
            int from = (int)((long)k * points.Length / MaxPoints), to = (int)((long)(k + 1) * points.Length / MaxPoints);
            var run = points[from..to];
            averaged[k] = (run.Average(p => p.Item1), run.Average(p => p.Item2));
        }
        return averaged;
    }

    /// <summary>Horizontal grid lines: the ends and three between, at round values on a log axis's decades when it
    /// spans any.</summary>
    private static double[] Ticks(double low, double high, bool log)
    {
        if (log && Math.Floor(high) - Math.Ceiling(low) >= 1)
            return [.. Enumerable.Range((int)Math.Ceiling(low), (int)(Math.Floor(high) - Math.Ceiling(low)) + 1).Select(d => Math.Pow(10, d))];
        var ticks = Enumerable.Range(0, 5).Select(i => low + i * (high - low) / 4);
        return [.. ticks.Select(t => log ? Math.Pow(10, t) : t)];
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
