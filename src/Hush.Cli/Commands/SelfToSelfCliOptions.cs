using System.CommandLine;
using Hush.Denoising;
using Hush.Denoising.Quality.PaQ2PiQ;

namespace Hush.Cli.Commands;

/// <summary><c>hush denoise</c>'s options for the Self2Self family (SelfToSelfOptions), whose mask, dropout and pass
/// counts blind2grad shares (Blind2GradOptions); unset = the method's default.</summary>
internal sealed class SelfToSelfCliOptions
{
    private readonly Option<float?> _maskP = new("--mask-p")
    {
        Description = "self2self-plus, self2self, blind2grad: probability that an input sample (blind2grad: pixel) is dropped, in (0,1) (default 0.4, 0.3, 0.25)",
        Validators = { r => { if (r.GetValueOrDefault<float?>() is float p && !(p > 0f && p < 1f)) r.AddError("--mask-p must be in (0,1)"); } },
    };

    private readonly Option<float?> _dropout = new("--dropout")
    {
        Description = "self2self-plus, self2self, blind2grad: decoder dropout rate (blind2grad: of T-standout's free units), in [0,1) (default: --mask-p, 0.3, 0.3)",
        Validators = { r => { if (r.GetValueOrDefault<float?>() is float d && !(d >= 0f && d < 1f)) r.AddError("--dropout must be in [0,1)"); } },
    };

    private readonly Option<int?> _passes = new("--passes")
    {
        Description = "self2self-plus, self2self, blind2grad: stochastic passes averaged for the output (default 500, 100, 40)",
        Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--passes must be ≥ 1"); } },
    };

    private readonly Option<string?> _iqaWeights = new("--iqa-weights")
    {
        Description = "self2self-plus: add the paper's IQA loss term λ·(100 − PaQ-2-PiQ score)² using these PaQ-2-PiQ weights " +
                      "(a .htf file made by tools/paq2piq/convert.py from the authors' checkpoint; Hush ships none). " +
                      "Default: off, the self-supervised loss alone",
    };

    private readonly Option<float?> _iqaWeight = new("--iqa-weight")
    {
        Description = $"self2self-plus: λ of the IQA term (default {PaQ2PiQQualityTerm.DefaultWeight:0e0}, as published); needs --iqa-weights",
        Validators = { r => { if (r.GetValueOrDefault<float?>() is float l && (!(l >= 0f) || float.IsInfinity(l))) r.AddError("--iqa-weight must be a finite number ≥ 0"); } },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_maskP);
        command.Options.Add(_dropout);
        command.Options.Add(_passes);
        command.Options.Add(_iqaWeights);
        command.Options.Add(_iqaWeight);
    }

    /// <summary>--mask-p, --dropout and --passes as given (null = the method's default), for blind2grad's options.</summary>
    public (float? MaskP, float? Dropout, int? Passes) Shared(ParseResult parse) =>
        (parse.GetValue(_maskP), parse.GetValue(_dropout), parse.GetValue(_passes));

    /// <summary>The settings; loads the IQA weights (before any training, so a bad file fails at once).</summary>
    public SelfToSelfOptions Read(ParseResult parse, string method)
    {
        string? weights = parse.GetValue(_iqaWeights);
        float? lambda = parse.GetValue(_iqaWeight);
        if (weights is null && lambda is not null) throw new UsageException("--iqa-weight needs --iqa-weights FILE (the IQA term is off without it)");
        if (weights is not null && method != "self2self-plus") throw new UsageException($"--iqa-weights applies to self2self-plus, not {method}");
        return new SelfToSelfOptions
        {
            MaskProbability = parse.GetValue(_maskP),
            DropoutRate = parse.GetValue(_dropout),
            Passes = parse.GetValue(_passes),
            QualityTerm = weights is null ? null : LoadTerm(weights, lambda ?? PaQ2PiQQualityTerm.DefaultWeight),
        };
    }

    private static PaQ2PiQQualityTerm LoadTerm(string path, float lambda)
    {
        try
        {
            return PaQ2PiQQualityTerm.Load(path, lambda);
        }
        catch (Exception e) when (e is InvalidDataException)
        {
            throw new InvalidInputException($"--iqa-weights {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--iqa-weights {path}: cannot read: {e.Message}");
        }
    }
}
