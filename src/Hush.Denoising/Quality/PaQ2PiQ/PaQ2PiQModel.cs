using Hush.Engine;

namespace Hush.Denoising.Quality.PaQ2PiQ;

/// <summary>
/// PaQ-2-PiQ (Ying et al., CVPR 2020; the authors' <c>RoIPoolModel</c>, as pyiqa's <c>paq2piq</c> metric runs it),
/// inference mode, differentiable with respect to the image. Body: torchvision's ResNet-18 without its last two
/// children: conv 7×7 s2 p3 + BN + ReLU, max-pool 3×3 s2 p1, then 4 stages of 2 BasicBlocks (widths c, 2c, 4c, 8c with
/// c = 64; stages 2–4 start with stride 2 and a 1×1 stride-2 conv + BN shortcut). Then RoIPool((2, 2), 1/32) over
/// the whole image, box (0, 0, W, H), and <see cref="PaQ2PiQHead"/>: the global quality score, about 0–100.
/// Input: RGB in [0, 1] as is (no ImageNet mean/std: the authors' inference code and pyiqa pass ToTensor()'s output).
/// BatchNorms are folded into the convolutions and linears; dropout is off; the weights are frozen.
/// The base width c and the head's hidden width are read from the file (64 and 512 in the published checkpoint;
/// the tests use a narrow model of the same architecture).
/// </summary>
public sealed class PaQ2PiQModel
{
    private readonly FoldedConv _stem;
    private readonly BasicBlock[] _blocks;
    private readonly PaQ2PiQHead _head;

    private PaQ2PiQModel(int width, FoldedConv stem, BasicBlock[] blocks, PaQ2PiQHead head)
    {
        BaseWidth = width;
        _stem = stem;
        _blocks = blocks;
        _head = head;
    }

    /// <summary>Channels of the first stage (64 in the published model).</summary>
    public int BaseWidth { get; }

    /// <summary>Loads a model from a Hush tensor file holding the PyTorch state dict's tensors under their PyTorch
    /// names (<c>body.0.weight</c> … <c>head.8.bias</c>; see <see cref="TensorFile"/> and tools/paq2piq).</summary>
    /// <exception cref="InvalidDataException">The file is malformed, or a tensor is missing or mis-shaped (one line
    /// naming the file and the tensor).</exception>
    public static PaQ2PiQModel Load(string path)
    {
        var file = TensorFile.Read(path);
        int c = file.ShapeOf("body.0.weight", 4)[0];
        var stem = FoldedConv.Read(file, "body.0", "body.1", 3, c, 7, 2, 3);
        var blocks = new List<BasicBlock>();
        int inputs = c;
        for (int stage = 0; stage < 4; stage++)
        {
            int width = c << stage;
            for (int b = 0; b < 2; b++)
            {
                blocks.Add(BasicBlock.Read(file, $"body.{4 + stage}.{b}", inputs, width, stride: stage > 0 && b == 0 ? 2 : 1));
                inputs = width;
            }
        }

        return new PaQ2PiQModel(c, stem, blocks.ToArray(), PaQ2PiQHead.Read(file, 2 * inputs));
    }

    /// <summary>The global score of rgb [1, 3, H, W] (values in [0, 1]) → [1, 1, 1, 1], built with <see cref="Ops"/>
    /// so that a gradient reaches the image.</summary>
    public Tensor Score(Tensor rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Rank != 4 || rgb.Shape[0] != 1 || rgb.Shape[1] != 3)
            throw new ArgumentException($"PaQ-2-PiQ scores one RGB image [1, 3, H, W], got [{string.Join(", ", rgb.Shape)}]");
        int h = rgb.Shape[2], w = rgb.Shape[3];
        var x = Ops.MaxPool2d(_stem.ForwardRelu(rgb), 3, 2, 1);
        foreach (var block in _blocks) x = block.Forward(x);
        var pooled = Ops.RoiMaxPool2d(x, 0, 0, w, h, 1f / 32, 2); // the whole image's RoI
        return _head.Forward(pooled);
    }

    /// <summary>torchvision's BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), conv1 3×3 with the
    /// block's stride, conv2 3×3; the shortcut is a 1×1 strided conv + BN where the shape changes.</summary>
    private sealed class BasicBlock(FoldedConv conv1, FoldedConv conv2, FoldedConv? downsample)
    {
        public static BasicBlock Read(TensorFile file, string name, int inputs, int width, int stride)
        {
            var conv1 = FoldedConv.Read(file, name + ".conv1", name + ".bn1", inputs, width, 3, stride, 1);
            var conv2 = FoldedConv.Read(file, name + ".conv2", name + ".bn2", width, width, 3, 1, 1);
            FoldedConv? down = stride != 1 || inputs != width
                ? FoldedConv.Read(file, name + ".downsample.0", name + ".downsample.1", inputs, width, 1, stride, 0)
                : null;
            return new BasicBlock(conv1, conv2, down);
        }

        public Tensor Forward(Tensor x)
        {
            var y = conv2.Forward(conv1.ForwardRelu(x));
            return Ops.Relu(Ops.Add(y, downsample?.Forward(x) ?? x));
        }
    }
}
