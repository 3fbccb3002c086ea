#!/usr/bin/python3
"""Blind2Grad in PyTorch, the same network, default step and pass as Hush's `blind2grad` (docs/methods/blind2grad.md;
src/Hush.Denoising/Methods/Blind2Grad/), written here to time the two side by side.

Network (width 48, LeakyReLU 0.1, 3×3 kernels, zero borders, He-normal weights, biases 0):
  encoder: a partial convolution C→48 (mask: the pixel mask [1, 1, H, W], all ones for f(y)), conv 48→48, then
  5 × [maxpool 2 → conv 48→48], down to H/32. PyTorch has no partial convolution: unet_twin_common.PartialConv2d
  writes out Hush's arithmetic.
  decoder: 5 stages, each nearest ×2 → batch norm (the batch's own statistics, no running averages) → gradient layer
  (the H/2 stage only: h + LReLU(conv3×3(concat(D_x h, D_y h))), forward differences) → channel attention
  (GAP → 1×1 conv → ⌈C/8⌉ → LReLU → 1×1 conv → sigmoid, scaling each channel) → concat the skip (encoder outputs at
  H/16 … H/2, the masked input at H) → [T-standout → conv → LReLU] for widths (96, 96), (64, 32) at H; then
  T-standout → conv 32→C → sigmoid.
  T-standout (no PyTorch built-in; the composition of Hush's arithmetic): units whose gradient magnitude
  √(D_x² + D_y²) reaches 100/255 of their channel plane's largest are kept unscaled, the others go through inverted
  dropout at 0.3; active in prediction too.
Step (Hush's defaults): a pixel mask Ω hiding each pixel in all channels with probability 0.25, the masked forward
f(Ω(y)), the unmasked forward f(y) without gradient (ω = 0.8 > 0, detached), the loss of Eq. 3.9
  L = [Σ_Ω (d_c + ω·d_g)² + γ·Σ_Ω d_c²] / |Ω|,  d_c = f(Ω(y)) − y,  d_g = (D_x + D_y)(f(y) − f(Ω(y))),  γ = 0.5,
backward and Adam at a constant 4e-4. Left out of the per-step timing: the dual mask's re-estimate every 500 steps
(4 passes of f(y) and a reallocation of the mask probabilities, under 1 % of a run); the draw reads a per-pixel
probability map, so the reallocated mask would cost the same per step.
Pass: one masked forward f(Ω(y)) with a fresh mask and fresh T-standout draws, cropped and added to the ensemble sum.
Sides that are not multiples of 32 are reflect-padded at the bottom and right, as Hush does.

Prints one JSON line like s2s_unet_torch.py ("method": "blind2grad"), with ms_per_pass added.
--check asserts the parameter count equals Hush's and the output shape of a 64×48 image. Run with /usr/bin/python3.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import unet_twin_common as common

WIDTH, DECODER_WIDTH, SLOPE = 48, 96, 0.1
HALF_RESOLUTION_STAGE = 3        # the gradient layer sits in the decoder stage that ends at H/2
MASK_RATE = 0.25                 # Blind2GradOptions.MaskRate
OMEGA, GAMMA = 0.8, 0.5          # Blind2GradOptions.Omega, Gamma
DROPOUT = 0.3                    # Blind2GradOptions.DropoutRate (T-standout's free units)
STANDOUT_THRESHOLD = 100 / 255   # Blind2GradOptions.StandoutThreshold / 255, relative to each plane's maximum
ATTENTION_REDUCTION = 8          # Blind2GradOptions.AttentionReduction
LEARNING_RATE = 4e-4             # Blind2GradDescriptor.DefaultLearningRate

# Hush's Blind2GradNetwork(C, defaults).ParameterCount: encoder 48·9·C + 48 + 6·(48·48·9 + 48); stages (batch norm
# 2·below, attention b·⌈b/8⌉ + ⌈b/8⌉ + ⌈b/8⌉·b + b, convolutions as Self2Self's decoder) 166,806 + 2·210,156 +
# (210,156 + 192·9·96 + 96 for the gradient layer) + 76,428 + 576·C; output 32·9·C + C = 1297·C + 1,164,438.
EXPECTED_PARAMETERS = {3: 1_168_329, 1: 1_165_735}


def standout(x):
    """T-standout (Hush's FusedOps.Standout): keep where √(D_x² + D_y²) ≥ threshold · the plane's largest magnitude
    (nothing in a plane whose magnitudes are all 0), elsewhere inverted dropout at DROPOUT. The keep decision carries
    no gradient; the output is x times the resulting mask, so the gradient is dY times the same mask."""
    with torch.no_grad():
        magnitude = torch.sqrt(common.forward_difference(x, True) ** 2 + common.forward_difference(x, False) ** 2)
        peak = magnitude.amax(dim=(2, 3), keepdim=True)
        limit = torch.where(peak > 0, STANDOUT_THRESHOLD * peak, torch.full_like(peak, float("inf")))
        keep = 1 - DROPOUT
        drawn = (torch.rand_like(x) < keep).float() / keep
        mask = torch.where(magnitude >= limit, torch.ones_like(x), drawn)
    return x * mask


class ChannelAttention(nn.Module):
    """Squeeze-and-excitation (Eq. 3.12): x ⊙ sigmoid(W_II · LReLU(W_I · GAP(x))), 1×1 convolutions with bias,
    PyTorch's default initialisation (as Hush's Conv2d)."""

    def __init__(self, c):
        super().__init__()
        hidden = -(-c // ATTENTION_REDUCTION)
        self.squeeze = nn.Conv2d(c, hidden, 1)
        self.excite = nn.Conv2d(hidden, c, 1)

    def forward(self, x):
        s = self.excite(F.leaky_relu(self.squeeze(F.adaptive_avg_pool2d(x, 1)), SLOPE))
        return x * torch.sigmoid(s)


class DecoderStage(nn.Module):
    def __init__(self, below, skip, widths, gradient_layer):
        super().__init__()
        # Batch statistics in training and prediction alike: a zero-shot network only ever sees its one image.
        self.norm = nn.BatchNorm2d(below, track_running_stats=False)
        self.gradient = common.conv3x3(2 * below, below, "zeros", "he") if gradient_layer else None
        self.attention = ChannelAttention(below)
        ins = [below + skip] + widths[:-1]
        self.convs = nn.ModuleList(common.conv3x3(i, o, "zeros", "he") for i, o in zip(ins, widths))

    def forward(self, below, skip):
        h = self.norm(F.interpolate(below, scale_factor=2, mode="nearest"))
        if self.gradient is not None:
            d = torch.cat([common.forward_difference(h, True), common.forward_difference(h, False)], 1)
            h = h + F.leaky_relu(self.gradient(d), SLOPE)
        h = torch.cat([self.attention(h), skip], 1)
        for conv in self.convs:
            h = F.leaky_relu(conv(standout(h)), SLOPE)
        return h


class Net(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.masked = common.PartialConv2d(c, WIDTH, "zeros")
        self.encoder = nn.ModuleList(common.conv3x3(WIDTH, WIDTH, "zeros", "he") for _ in range(6))
        self.decoder = nn.ModuleList(
            DecoderStage(WIDTH if k == 0 else DECODER_WIDTH, c if k == 4 else WIDTH,
                         [64, 32] if k == 4 else [DECODER_WIDTH, DECODER_WIDTH], k == HALF_RESOLUTION_STAGE)
            for k in range(5))
        self.out = common.conv3x3(32, c, "zeros", "he")

    def forward(self, masked, mask):
        skips = [masked]
        h = F.leaky_relu(self.masked(masked, mask)[0], SLOPE)
        h = F.leaky_relu(self.encoder[0](h), SLOPE)
        for k in range(1, 6):
            h = F.leaky_relu(self.encoder[k](F.max_pool2d(h, 2)), SLOPE)
            if k <= 4:
                skips.append(h)  # at H/2^k
        for k, stage in enumerate(self.decoder):
            h = stage(h, skips[4 - k])
        return torch.sigmoid(self.out(standout(h)))


class PixelMask:
    """Hush's DualMask before its first reallocation: every padded pixel hidden (all channels) with its probability,
    MASK_RATE for all; Ω = the hidden samples inside the image, |Ω| = hidden pixels inside × C (at least 1)."""

    def __init__(self, image):
        self.image = image
        self.probability = torch.full((1, 1, image.hp, image.wp), MASK_RATE)

    def draw(self):
        hidden = (torch.rand_like(self.probability) < self.probability).float()
        keep_pixels = 1 - hidden
        keep_samples = keep_pixels.expand(1, self.image.c, -1, -1)
        dropped = hidden * self.image.inside
        return keep_pixels, keep_samples, dropped, max(1, int(dropped.sum().item()))


def loss_eq_3_9(masked_out, unmasked_out, y, dropped, count):
    """Blind2GradLoss.Compute with ∇ = D_x + D_y (GradientOperator.Sum)."""
    dc = (masked_out - y) * dropped
    colour = (dc * dc).sum()
    deviation = unmasked_out - masked_out
    dg = common.forward_difference(deviation, True) + common.forward_difference(deviation, False)
    joint = dc + OMEGA * (dg * dropped)
    return ((joint * joint).sum() + GAMMA * colour) / count


def main():
    a = common.parse_args()  # also sets torch's thread count
    if a.check:
        def shape(c):
            image = common.PaddedImage(torch.rand(1, c, 48, 64), flips=False)
            keep_pixels, keep_samples, _, _ = PixelMask(image).draw()
            with torch.no_grad():
                return tuple(Net(c)(keep_samples * image.variants[0], keep_pixels).shape)
        common.check("blind2grad", Net, EXPECTED_PARAMETERS, shape)
        return
    image = common.PaddedImage(common.synthetic_noisy(a.channels, a.height, a.width), flips=False)
    y = image.variants[0]
    visible = torch.ones(1, 1, image.hp, image.wp)
    mask = PixelMask(image)
    model = Net(a.channels)
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    total = torch.zeros(1, a.channels, a.height, a.width)

    def step():
        opt.zero_grad()
        keep_pixels, keep_samples, dropped, count = mask.draw()
        masked_out = model(keep_samples * y, keep_pixels)
        with torch.no_grad():  # ω > 0 and f(y) detached (Hush's defaults): a constant target, no graph kept
            unmasked_out = model(y, visible)
        loss = loss_eq_3_9(masked_out, unmasked_out, y, dropped, count)
        loss.item()  # Hush reads the loss every step (its divergence check)
        loss.backward()
        opt.step()

    def one_pass():
        keep_pixels, keep_samples, _, _ = mask.draw()
        image.accumulate(model(keep_samples * y, keep_pixels), 0, total)

    common.time_run(a, "blind2grad", step, one_pass)


if __name__ == "__main__":
    main()
