using System.Globalization;
using System.Text.RegularExpressions;
using Hush.Denoising.Metrics;
using Hush.Denoising.Noise;
using Hush.Imaging;

namespace Hush.Cli.Quality;

/// <summary>A synthetic noise level: <c>gN</c> is Gaussian with σ=N on the 0–255 scale, <c>pN</c> Poisson with
/// peak N (the protocol of <c>hush noise</c>), <c>vA-B</c> Gaussian whose σ rises smoothly from A at the top-left to B
/// at the bottom-right (<see cref="NoiseSynthesis.AddVaryingGaussian"/>), <c>pNgS</c> Poisson with peak N plus Gaussian
/// σ=S (<see cref="NoiseSynthesis.AddPoissonGaussian"/>), all clipped to [0, 1]; a trailing <c>u</c> (<c>g25u</c>)
/// leaves the noisy values unclipped, as the DnCNN/BM3D tables' float-noise protocol does.</summary>
/// <param name="Level">σ (g, and v's first), or the peak (p, and the Poisson part of m)</param>
/// <param name="Second">v: the last σ; m: the Gaussian part's σ; else 0</param>
internal sealed record NoiseSpec(string Label, char Kind, double Level, bool Unclipped = false, double Second = 0)
{
    private const string Number = @"(\d+(?:\.\d+)?)";
    private static readonly Regex Pattern = new($@"^(?:([gp]){Number}|v{Number}-{Number}|p{Number}g{Number})(u?)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static NoiseSpec Parse(string text)
    {
        var m = Pattern.Match(text.Trim());
        if (!m.Success)
            throw new UsageException($"--noise: cannot parse '{text}' (use gSIGMA, pPEAK, vFROM-TO or pPEAKgSIGMA, e.g. g25,p30,v5-50,p50g10; g25u: unclipped)");
        double N(int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var (kind, level, second) =
            m.Groups[1].Success ? (char.ToLowerInvariant(m.Groups[1].Value[0]), N(2), 0.0) :
            m.Groups[3].Success ? ('v', N(3), N(4)) :
            ('m', N(5), N(6));
        if (kind is 'p' or 'm' && level <= 0) throw new UsageException($"--noise: Poisson peak must be > 0 in '{text}'");
        return new NoiseSpec(m.Value.ToLowerInvariant(), kind, level, m.Groups[7].Value.Length > 0, second);
    }

    public static IReadOnlyList<NoiseSpec> ParseList(string text)
    {
        var specs = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
        if (specs.Count == 0) throw new UsageException("--noise: no noise level given");
        if (specs.Select(s => s.Label).Distinct().Count() != specs.Count) throw new UsageException($"--noise: '{text}' repeats a level");
        return specs;
    }

    public Image Apply(Image clean, ulong seed) => Kind switch
    {
        'g' => NoiseSynthesis.AddGaussian(clean, Level, seed, clip: !Unclipped),
        'v' => NoiseSynthesis.AddVaryingGaussian(clean, Level, Second, seed, clip: !Unclipped),
        'm' => NoiseSynthesis.AddPoissonGaussian(clean, Level, Second, seed, clip: !Unclipped),
        _ => NoiseSynthesis.AddPoisson(clean, Level, seed, clip: !Unclipped),
    };
}

/// <summary>One noisy/clean pair to score. The noisy image is a file (<see cref="NoisyPath"/>) or made from the
/// clean one by <see cref="Synthetic"/> with <see cref="NoiseSeed"/>. Reference scores come from a
/// reference.tsv and are dropped when the images are cropped (they no longer apply).</summary>
internal sealed record QualityPair(string Image, string Noise, string CleanPath, string? NoisyPath,
    NoiseSpec? Synthetic, ulong NoiseSeed, (int Width, int Height)? Crop, double? RefPsnr, double? RefSsim)
{
    /// <summary>What the noisy input is, for the run key: file names rather than full paths, so moving the data
    /// folder does not invalidate finished runs.</summary>
    public string Source =>
        (NoisyPath is null ? $"synthetic {Noise} seed={NoiseSeed} from {Path.GetFileName(CleanPath)}" : $"file {Path.GetFileName(NoisyPath)}")
        + (Crop is var (w, h) ? $" crop={w}x{h}" : "");

    /// <summary>Reads (and crops, and noises) the pair; throws <see cref="ImageFormatException"/> naming the
    /// file when one is unreadable or the two do not match.</summary>
    public (Image Noisy, Image Clean) Load()
    {
        var clean = CentreCrop(ImageFile.Read(CleanPath), CleanPath);
        if (Synthetic is not null) return (Synthetic.Apply(clean, NoiseSeed), clean);
        var noisy = CentreCrop(ImageFile.Read(NoisyPath!), NoisyPath!);
        if (noisy.Width != clean.Width || noisy.Height != clean.Height || noisy.Channels != clean.Channels)
            throw new ImageFormatException(
                $"is {noisy.Width}x{noisy.Height}x{noisy.Channels} but its clean image {CleanPath} is {clean.Width}x{clean.Height}x{clean.Channels}",
                NoisyPath);
        return (noisy, clean);
    }

    private Image CentreCrop(Image image, string path)
    {
        if (Crop is not var (w, h)) return image;
        if (w > image.Width || h > image.Height)
            throw new UsageException($"{path}: is {image.Width}x{image.Height}, smaller than --crop {w}x{h}");
        return image.Crop((image.Width - w) / 2, (image.Height - h) / 2, w, h);
    }
}

/// <summary>Finds the pairs: a --pairs folder (reference.tsv, or NAME_clean.EXT beside NAME_noise.EXT) or
/// --clean images with --noise levels. Missing folders and files are input errors (exit 3).</summary>
internal static class QualityInputs
{
    public const string ReferenceTable = "reference.tsv";

    public static List<QualityPair> FromPairs(string folder, IReadOnlyCollection<string>? noises, (int, int)? crop, int? limit)
    {
        if (!Directory.Exists(folder)) throw new InvalidInputException($"{folder}: folder does not exist");
        string tsv = Path.Combine(folder, ReferenceTable);
        var pairs = File.Exists(tsv) ? ReadTable(folder, tsv, crop) : MatchNames(folder, crop);
        if (noises is not null) pairs = pairs.Where(p => noises.Contains(p.Noise)).ToList();
        pairs = Limit(pairs, limit);
        if (pairs.Count == 0)
            throw new InvalidInputException($"{folder}: no pairs found (need {ReferenceTable}, or NAME_clean.EXT beside NAME_NOISE.EXT files)");
        return pairs;
    }

    public static List<QualityPair> FromClean(IEnumerable<string> inputs, IReadOnlyList<NoiseSpec> noises, ulong noiseSeed,
        (int, int)? crop, int? limit)
    {
        var files = new List<(string Image, string Path)>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input).Where(ImageFile.IsSupportedExtension).Select(f => (NameOf(f), f)));
            else if (File.Exists(input))
                files.Add((NameOf(input), input));
            else
                throw new InvalidInputException($"{input}: no such file or folder");
        }
        var images = files.DistinctBy(f => f.Image).OrderBy(f => f.Image, StringComparer.Ordinal).ToList();
        if (limit is int n) images = images.Take(n).ToList();
        if (images.Count == 0) throw new InvalidInputException($"{string.Join(", ", inputs)}: no images found");
        return images.SelectMany(f => noises.Select(s =>
            new QualityPair(f.Image, s.Label, f.Path, null, s, noiseSeed, crop, null, null))).ToList();
    }

    /// <summary>"Kodak24/kodim01" for Kodak24/kodim01.png: the folder keeps names from two data sets apart,
    /// as in the reference tables.</summary>
    private static string NameOf(string path) =>
        $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))}/{Path.GetFileNameWithoutExtension(path)}";

    private static List<QualityPair> Limit(List<QualityPair> pairs, int? limit)
    {
        pairs = pairs.OrderBy(p => p.Image, StringComparer.Ordinal).ThenBy(p => p.Noise, StringComparer.Ordinal).ToList();
        if (limit is not int n) return pairs;
        var keep = pairs.Select(p => p.Image).Distinct().Take(n).ToHashSet();
        return pairs.Where(p => keep.Contains(p.Image)).ToList();
    }

    private static List<QualityPair> ReadTable(string folder, string tsv, (int, int)? crop)
    {
        var lines = File.ReadAllLines(tsv);
        if (lines.Length == 0) throw new InvalidInputException($"{tsv}: empty file");
        var header = lines[0].Split('\t');
        int Column(string name, bool required)
        {
            int i = Array.IndexOf(header, name);
            if (i < 0 && required) throw new InvalidInputException($"{tsv}: no '{name}' column in the header");
            return i;
        }
        int image = Column("image", true), noise = Column("noise", true), noisy = Column("noisy_file", true), clean = Column("clean_file", true);
        int refPsnr = Column("ref_psnr", false), refSsim = Column("ref_ssim", false);
        var pairs = new List<QualityPair>();
        for (int row = 1; row < lines.Length; row++)
        {
            if (lines[row].Length == 0) continue;
            var cells = lines[row].Split('\t');
            if (cells.Length != header.Length)
                throw new InvalidInputException($"{tsv}: line {row + 1} has {cells.Length} cells, the header {header.Length}");
            double? Number(int column)
            {
                if (column < 0 || crop is not null || cells[column].Length == 0) return null;
                if (double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
                throw new InvalidInputException($"{tsv}: line {row + 1}: '{cells[column]}' is not a number");
            }
            pairs.Add(new QualityPair(cells[image], cells[noise], Path.Combine(folder, cells[clean]), Path.Combine(folder, cells[noisy]),
                null, 0, crop, Number(refPsnr), Number(refSsim)));
        }
        return pairs;
    }

    private static List<QualityPair> MatchNames(string folder, (int, int)? crop)
    {
        var files = Directory.EnumerateFiles(folder).Where(ImageFile.IsSupportedExtension).ToList();
        var cleans = files.Where(f => Path.GetFileNameWithoutExtension(f).EndsWith("_clean", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)[..^"_clean".Length], StringComparer.Ordinal);
        var pairs = new List<QualityPair>();
        foreach (string file in files)
        {
            string stem = Path.GetFileNameWithoutExtension(file);
            int cut = stem.LastIndexOf('_');
            if (cut <= 0 || stem.EndsWith("_clean", StringComparison.Ordinal)) continue;
            if (!cleans.TryGetValue(stem[..cut], out string? clean)) continue;
            pairs.Add(new QualityPair(stem[..cut], stem[(cut + 1)..], clean, file, null, 0, crop, null, null));
        }
        return pairs;
    }
}

/// <summary>The numbers one run is scored by.</summary>
internal static class QualityScore
{
    public static (double Psnr, double Ssim) Of(Image test, Image clean) => (Psnr.Compute(test, clean), Ssim.Compute(test, clean));
}
