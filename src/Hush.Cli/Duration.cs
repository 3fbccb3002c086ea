using System.Globalization;
using System.Text.RegularExpressions;

namespace Hush.Cli;

/// <summary>Parses durations such as "90s", "5m", "1h30m", "2.5m" or a plain number of seconds.</summary>
internal static partial class Duration
{
    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s?)?$")]
    private static partial Regex Parts();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Parts().Match(text.Trim().ToLowerInvariant());
        if (!m.Success || m.Length == 0) return false;
        double seconds = 0;
        foreach (var (group, unit) in new[] { ("h", 3600.0), ("m", 60.0), ("s", 1.0) })
            if (m.Groups[group].Success) seconds += double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) * unit;
        if (!(seconds > 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2) return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
