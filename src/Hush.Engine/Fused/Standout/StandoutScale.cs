namespace Hush.Engine.Fused;

/// <summary>What T-standout's threshold ε is compared with (<see cref="FusedOps.Standout"/>): the spatial gradient magnitude
/// m = √(dx² + dy²) of each unit (forward differences of its channel's plane).</summary>
public enum StandoutScale
{
    /// <summary>m ≥ ε: the threshold is on the activation's own scale.</summary>
    Absolute,

    /// <summary>m ≥ ε · max(m over the unit's plane): each channel's gradient map is read as an image scaled to its
    /// maximum, so one threshold fits layers whose activations have different scales (the default of Blind2Grad).</summary>
    RelativeToPlaneMax,
}
