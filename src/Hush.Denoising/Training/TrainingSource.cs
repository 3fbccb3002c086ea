using Hush.Engine;
using Hush.Imaging;

namespace Hush.Denoising.Training;

/// <summary>The image each training step sees. Step i uses image i mod n (one image: always the same; a stack
/// with a shared model: its training planes in turn). With a patch size, each step takes a random patch of that
/// image instead of all of it, so the step's memory depends on the patch, not the image; the patches come from
/// a generator seeded by the run's seed, so a run is repeatable.</summary>
internal sealed class TrainingSource
{
    private readonly IReadOnlyList<Image> _images;
    private readonly Tensor?[] _whole; // whole-image tensors, made once (the same tensor every step, as before patches)
    private readonly int? _patch;
    private readonly Rng _rng;
    private float[]? _patchBuffer;

    public TrainingSource(IReadOnlyList<Image> images, int? patchSize, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("a training source needs at least one image", nameof(images));
        if (images.Any(i => i.Channels != images[0].Channels))
            throw new ArgumentException("the training images must have the same number of channels", nameof(images));
        if (patchSize is < 2) throw new ArgumentOutOfRangeException(nameof(patchSize), patchSize, "patches must be at least 2x2");
        _images = images;
        _whole = new Tensor?[images.Count];
        _patch = patchSize;
        _rng = new Rng(seed).Fork(0x9a7c4);
    }

    public TrainingSource(Image image) : this([image], null, 0) { }

    /// <summary>The stream the patch positions come from (a resumable checkpoint carries its state).</summary>
    public Rng Stream => _rng;

    public int Channels => _images[0].Channels;

    /// <summary>The smallest width and height among the training images.</summary>
    public (int Width, int Height) SmallestSize => (_images.Min(i => i.Width), _images.Min(i => i.Height));

    /// <summary>True when every step sees the same whole image (one image, no patches smaller than it), so anything
    /// computed from the input once holds for every step.</summary>
    public bool SameInputEveryStep =>
        _images.Count == 1 && (_patch is not int side || (side >= _images[0].Width && side >= _images[0].Height));

    /// <summary>True when steps see random patches rather than whole images.</summary>
    public bool UsesPatches => _patch != null;

    /// <summary>The [1,C,h,w] input of step <paramref name="step"/> (0-based).</summary>
    public Tensor Next(int step)
    {
        int index = step % _images.Count;
        var image = _images[index];
        if (_patch is not int side || (side >= image.Width && side >= image.Height))
            return _whole[index] ??= ImageTensors.ToTensor(image);
        int w = Math.Min(side, image.Width), h = Math.Min(side, image.Height);
        _patchBuffer = _patchBuffer?.Length == image.Channels * w * h ? _patchBuffer : new float[image.Channels * w * h];
        int x = (int)(_rng.NextUInt64() % (ulong)(image.Width - w + 1));
        int y = (int)(_rng.NextUInt64() % (ulong)(image.Height - h + 1));
        // A step's input is dead once the step is over, so every step fills the same array.
        return ImageTensors.ToTensor(image, x, y, w, h, _patchBuffer);
    }
}
