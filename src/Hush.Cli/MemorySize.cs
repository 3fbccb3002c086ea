using System.Globalization;

namespace Hush.Cli;

/// <summary>Parses sizes such as "2G", "512M", "1.5GiB" or a plain byte count (binary units: K = 1024).</summary>
internal static class MemorySize
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        string t = text.Trim().ToUpperInvariant();
        foreach (string suffix in new[] { "IB", "B" })
            if (t.EndsWith(suffix, StringComparison.Ordinal) && t.Length > suffix.Length && !char.IsDigit(t[^(suffix.Length + 1)]))
            {
                t = t[..^suffix.Length];
                break;
            }
        long unit = t[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        if (unit != 1) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || value * unit > long.MaxValue)
            return false;
        bytes = (long)(value * unit);
        return true;
    }
}
