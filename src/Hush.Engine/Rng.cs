namespace Hush.Engine;

/// <summary>xoshiro256** seeded through splitmix64. Pure integer arithmetic, so deterministic across machines
/// (NextGaussian uses Math.Log/Sqrt/Cos, which are correctly rounded or near enough on all .NET targets).</summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The generator's whole state (four words), so a saved run can carry on with the very same draws.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Puts the generator back in a state <see cref="GetState"/> returned.</summary>
    /// <exception cref="ArgumentException">Not four words, or all zero (not a state xoshiro256** can be in).</exception>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0)
            throw new ArgumentException("a generator state is four words, not all zero", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi): lo + (hi - lo) * NextFloat().</summary>
    public float Uniform(float lo, float hi) => lo + (hi - lo) * NextFloat();

    /// <summary>Standard normal by Box-Muller (one value per call; the sine half is discarded).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An independent generator for sub-stream <paramref name="stream"/>, derived from this generator's
    /// current state. Does not advance this generator.</summary>
    public Rng Fork(ulong stream)
    {
        ulong x = stream;
        ulong mix = SplitMix64(ref x);
        return new Rng(_s0 ^ ulong.RotateLeft(_s1, 17) ^ ulong.RotateLeft(_s2, 31) ^ ulong.RotateLeft(_s3, 47) ^ mix);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
