"""What the PyTorch twins of Hush's U-Net methods share (self2self_plus_torch.py, self2self_torch.py,
blind2grad_torch.py): the command line, the padded image as Hush's MaskedImage holds it, the pieces of arithmetic
PyTorch has no built-in for (partial convolution, forward differences), the timing loop and the JSON line.

Only the twins import this; run them with Debian's interpreter, /usr/bin/python3 (apt-get install python3-torch).
"""
import argparse, json, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

MULTIPLE = 32  # the U-Nets halve the resolution 5 times, so Hush pads both sides to multiples of 32


def parse_args(default_warmup=3, default_iters=10):
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=default_warmup)
    ap.add_argument("--iters", type=int, default=default_iters)
    ap.add_argument("--passes", type=int, default=5, help="timed inference passes, after one untimed pass (Hush times 5)")
    ap.add_argument("--check", action="store_true",
                    help="assert the parameter counts (C=3, C=1) and the output shape of a 64x48 input, then exit")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)  # the VM defaults to 1 thread (measured: torch picks 1 thread on this VM)
    return a


def round_up(n):
    return (n + MULTIPLE - 1) // MULTIPLE * MULTIPLE


def mirror_index(i, n, symmetric=False):
    """Source index of padded coordinate i, as Hush's Pad.Source: reflect mirrors about the edge sample, symmetric
    about the edge itself, and pads wider than the plane keep mirroring (where torch's own 'reflect' refuses)."""
    if 0 <= i < n:
        return i
    if symmetric:
        s = i % (2 * n)
        return s if s < n else 2 * n - 1 - s
    if n == 1:
        return 0
    period = 2 * (n - 1)
    r = i % period
    return r if r < n else period - r


class PaddedImage:
    """The noisy image as Hush's MaskedImage holds it: reflect-padded at the bottom and right to multiples of 32, in
    its 4 flip variants when asked (flipped first, then padded), with a 0/1 map of the samples inside the image so
    losses never count the padding."""

    def __init__(self, y, flips):
        _, c, h, w = y.shape
        self.c, self.h, self.w, self.hp, self.wp = c, h, w, round_up(h), round_up(w)
        rows = torch.tensor([mirror_index(i, h) for i in range(self.hp)])
        cols = torch.tensor([mirror_index(j, w) for j in range(self.wp)])
        self.variants = []
        for v in range(4 if flips else 1):
            dims = [d for bit, d in ((1, 3), (2, 2)) if v & bit]  # bit 1 = left-right, bit 2 = upside down
            flipped = torch.flip(y, dims) if dims else y
            self.variants.append(flipped.index_select(2, rows).index_select(3, cols).contiguous())
        self.inside = torch.zeros(1, c, self.hp, self.wp)
        self.inside[:, :, :h, :w] = 1

    def accumulate(self, out, v, total):
        """total [1, C, H, W] += the image part of out (variant v), flipped back."""
        crop = out[:, :, :self.h, :self.w]
        dims = [d for bit, d in ((1, 3), (2, 2)) if v & bit]
        total += torch.flip(crop, dims) if dims else crop


def masked_loss(out, y, dropped, count, l1):
    """MaskedImage.Loss: the mean L1 or squared error of out⊙(1−M) against y⊙(1−M) over all samples, times
    (all samples / dropped samples), i.e. the error summed over the dropped samples divided by their count."""
    a, b = out * dropped, y * dropped
    return (F.l1_loss(a, b) if l1 else F.mse_loss(a, b)) * (dropped.numel() / count)


def forward_difference(x, horizontal):
    """Hush's Ops.ForwardDifference: x[i, j+1] − x[i, j] (or x[i+1, j] − x[i, j]), 0 on the last column (row).
    No built-in in PyTorch: a slice difference padded with one zero column (row)."""
    if horizontal:
        return F.pad(x[:, :, :, 1:] - x[:, :, :, :-1], (0, 1, 0, 0))
    return F.pad(x[:, :, 1:, :] - x[:, :, :-1, :], (0, 0, 0, 1))


class PartialConv2d(nn.Module):
    """Hush's PartialConv2d (Liu et al. 2018), 3×3 'same', written out because PyTorch has none: with S the sum of
    the (padded) mask over the in-channel × 3×3 window, out = W·(X⊙M)·(in·9 / S) + b·U where S > 0 (0 elsewhere),
    U = min(S, 1) the updated [N, 1, H, W] mask. A one-channel mask stands for every channel (S counts it in times).
    The mask carries no gradient. pad: 'zeros' (padded positions are holes) or 'replicate', which is Hush's
    symmetric border for a 3×3 kernel (one mirrored sample about the edge is the edge sample itself)."""

    def __init__(self, cin, cout, pad):
        super().__init__()
        self.cin, self.pad = cin, pad
        self.weight = nn.Parameter(torch.empty(cout, cin, 3, 3))
        self.bias = nn.Parameter(torch.zeros(cout))
        he_normal_(self.weight)

    def _padded(self, t):
        return F.pad(t, (1, 1, 1, 1)) if self.pad == "zeros" else F.pad(t, (1, 1, 1, 1), mode=self.pad)

    def forward(self, x, mask):
        with torch.no_grad():
            cm = mask.shape[1]
            s = F.conv2d(self._padded(mask), torch.ones(1, cm, 3, 3))
            if cm == 1:
                s = s * self.cin
            ratio = torch.where(s > 0, (self.cin * 9) / s.clamp(min=1e-12), torch.zeros_like(s))
            update = s.clamp(max=1)
        out = F.conv2d(self._padded(x * mask), self.weight) * ratio
        return out + self.bias.view(1, -1, 1, 1) * update, update


def he_normal_(weight, bias=None):
    """Hush's WeightInit.HeNormal: N(0, 2/fan_in), bias 0 (Self2Self, Blind2Grad)."""
    nn.init.normal_(weight, 0.0, (2.0 / (weight[0].numel())) ** 0.5)
    if bias is not None:
        nn.init.zeros_(bias)


class ReflectConv2d(nn.Conv2d):
    """A 3×3 convolution on a reflect-padded input (pad, then convolve unpadded, as Hush's PaddedConv2d and
    PyTorch's padding_mode='reflect' both do). PyTorch refuses to reflect a side of one sample, which the U-Nets meet
    at H/32 when a side is 32; Hush's Pad.Source maps such a side onto itself, i.e. replicates it, so that side is
    padded with 'replicate' here."""

    def __init__(self, cin, cout):
        super().__init__(cin, cout, 3)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        if h > 1 and w > 1:
            x = F.pad(x, (1, 1, 1, 1), mode="reflect")
        else:
            x = F.pad(x, (1, 1, 0, 0), mode="reflect" if w > 1 else "replicate")
            x = F.pad(x, (0, 0, 1, 1), mode="reflect" if h > 1 else "replicate")
        return F.conv2d(x, self.weight, self.bias)


def conv3x3(cin, cout, pad, init):
    """Hush's UNet.Conv3x3: a 'same' 3×3 convolution with bias; pad 'zeros' or 'reflect' (ReflectConv2d); init
    'normal002' (N(0, 0.02²), bias 0) or 'he'."""
    conv = ReflectConv2d(cin, cout) if pad == "reflect" else nn.Conv2d(cin, cout, 3, padding=1)
    if init == "normal002":
        nn.init.normal_(conv.weight, 0.0, 0.02)
        nn.init.zeros_(conv.bias)
    else:
        he_normal_(conv.weight, conv.bias)
    return conv


def up_concat(below, skip):
    """Nearest ×2 up-sampling of the coarser features, then the skip concatenated after them (UpBlock.Forward)."""
    return torch.cat([F.interpolate(below, scale_factor=2, mode="nearest"), skip], 1)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def synthetic_noisy(channels, height, width):
    """Uniform clean image plus Gaussian σ = 25 (0–255), clipped, as `hush bench speed` makes one: the cost does not
    depend on the content."""
    torch.manual_seed(0)
    clean = torch.rand(1, channels, height, width)
    return torch.clamp(clean + torch.randn_like(clean) * 25 / 255, 0, 1)


def time_run(a, method, step, one_pass):
    """Times a.warmup + a.iters training steps (the first a.warmup untimed), then 1 + a.passes inference passes (the
    first untimed) under no_grad, each pass adding into one running sum as Hush's ensemble does; prints one JSON line."""
    iters = []
    for i in range(a.warmup + a.iters):
        t0 = time.perf_counter()
        step()
        if i >= a.warmup:
            iters.append((time.perf_counter() - t0) * 1000)
    passes = []
    with torch.no_grad():
        for k in range(1 + a.passes):
            t0 = time.perf_counter()
            one_pass()
            if k >= 1:
                passes.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"impl": "pytorch", "method": method, "torch": torch.__version__, "width": a.width,
                      "height": a.height, "channels": a.channels, "threads": a.threads, "ms_per_iter": iters,
                      "ms_per_pass": passes, "median_ms": statistics.median(iters),
                      "median_ms_per_pass": statistics.median(passes) if passes else None}))


def check(method, build, expected, run_shape):
    """--check: the twin's parameter count for C = 3 and C = 1 must equal Hush's (expected: {C: count}), and a 64×48
    (W×H) image, padded to 64×64, must come out of the network as [1, C, 64, 64]."""
    for c, want in expected.items():
        got = parameter_count(build(c))
        assert got == want, f"{method}: C={c}: {got} parameters, Hush has {want}"
        shape = run_shape(c)
        assert shape == (1, c, 64, 64), f"{method}: C={c}: output {shape}, expected (1, {c}, 64, 64)"
        print(f"{method}: C={c}: {got} parameters (= Hush), 64x48 -> padded output {list(shape)}")
