using Hush.Engine;

namespace Hush.Denoising;

/// <summary>
/// Hook for an optional no-reference image-quality (IQA) term in Self2Self+'s loss. The paper adds
/// λ_IQA·mean((100 − PaQ-2-PiQ(out))²) with λ_IQA = 2e-8: <see cref="Quality.PaQ2PiQ.PaQ2PiQQualityTerm"/>, which
/// needs the pretrained weights from the user (tools/paq2piq). With no term set, Self2Self+ trains on its
/// self-supervised loss alone, as the method's "without IQA" ablation.
/// </summary>
public interface INoReferenceQualityTerm
{
    /// <summary>The weighted term (λ included) for the network output [1, C, H, W] (not clamped): a [1] tensor
    /// built with <see cref="Ops"/> so its gradient reaches the network.</summary>
    Tensor Loss(Tensor output);
}
