#!/usr/bin/python3
"""The original Self2Self in PyTorch, the same network, step and pass as Hush's `self2self` (docs/methods/self2self.md;
src/Hush.Denoising/Methods/Self2Self/), written here to time the two side by side.

Network (width 48, LeakyReLU 0.1, He-normal weights, biases 0), input M⊙y and its mask M (per channel and pixel):
  partial convolutions enc0 (C→48), enc1 at H×W → pool → enc2 → pool → enc3 → pool → enc4 → pool → enc5 → pool →
  enc6 at H/32, the mask max-pooled with the features; symmetric borders (for 3×3 the same as 'replicate').
  PyTorch has no partial convolution: unet_twin_common.PartialConv2d writes out Hush's arithmetic (mask sums by a
  convolution with ones, W·(X⊙M)·(in·9/S) + b·min(S, 1)).
  Decoder (zero borders): 4 × [nearest ×2, concat the pooled features at H/16 … H/2; dropout → conv → 96 → LReLU,
  twice], then ×2, concat the masked input, dropout → conv 64 → LReLU → dropout → conv 32 → LReLU, dropout → conv C
  → sigmoid. Dropout 0.3, active in prediction too.
Step: a random flip of the image (one of 4, each with probability 1/4), Bernoulli mask per channel and pixel (keep 0.7),
squared error on the dropped samples inside the image, Σ(out − y)²⊙(1 − M) / Σ(1 − M), Adam at a constant 1e-4.
Pass: one forward with a fresh flip, mask and dropout, cropped, flipped back and added to the ensemble sum.
Sides that are not multiples of 32 are reflect-padded at the bottom and right (after flipping), as Hush does.

Prints one JSON line like s2s_unet_torch.py ("method": "self2self"), with ms_per_pass added.
--check asserts the parameter count equals Hush's and the output shape of a 64×48 image. Run with /usr/bin/python3.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import unet_twin_common as common

WIDTH, DECODER_WIDTH, SLOPE = 48, 96, 0.1
MASK_P = 0.3            # Self2SelfOptions.MaskProbability
DROPOUT = 0.3           # Self2SelfOptions.DropoutRate
LEARNING_RATE = 1e-4    # Self2SelfDescriptor.DefaultLearningRate

# Hush's Self2SelfNetwork(C).ParameterCount: encoder 48·9·C + 48 + 6·(48·48·9 + 48); decoder 2·(96·96·9 + 96) +
# 3·(144·9·96 + 96 + 96·96·9 + 96) + 64·9·(96 + C) + 64 + 32·9·64 + 32; output 32·9·C + C = 1297·C + 987,312.
EXPECTED_PARAMETERS = {3: 991_203, 1: 988_609}


class Net(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.encoder = nn.ModuleList(common.PartialConv2d(c if k == 0 else WIDTH, WIDTH, "replicate") for k in range(7))
        widths = [[DECODER_WIDTH, DECODER_WIDTH]] * 4 + [[64, 32]]
        ins = [WIDTH + WIDTH] + [DECODER_WIDTH + WIDTH] * 3 + [DECODER_WIDTH + c]
        self.decoder = nn.ModuleList(
            nn.ModuleList(common.conv3x3(ins[k] if j == 0 else widths[k][j - 1], widths[k][j], "zeros", "he")
                          for j in range(2)) for k in range(5))
        self.out = common.conv3x3(32, c, "zeros", "he")

    def forward(self, masked, mask):
        skips = [masked]
        h, m = self.encoder[0](masked, mask)
        h = F.leaky_relu(h, SLOPE)
        h, m = self.encoder[1](h, m)
        h = F.leaky_relu(h, SLOPE)
        for k in range(1, 6):
            h, m = F.max_pool2d(h, 2), F.max_pool2d(m, 2)
            if k <= 4:
                skips.append(h)  # at H/2^k
            h, m = self.encoder[k + 1](h, m)
            h = F.leaky_relu(h, SLOPE)
        for k, convs in enumerate(self.decoder):
            h = common.up_concat(h, skips[4 - k])
            for conv in convs:
                h = F.leaky_relu(conv(F.dropout(h, DROPOUT, training=True)), SLOPE)
        return torch.sigmoid(self.out(F.dropout(h, DROPOUT, training=True)))


def draw(image):
    """A random flip v (Hush draws two coin flips), a fresh mask M over that variant, (1 − M) inside the image and
    its count (at least 1)."""
    v = (1 if torch.rand(()) < 0.5 else 0) | (2 if torch.rand(()) < 0.5 else 0)
    y = image.variants[v]
    keep = (torch.rand_like(y) < 1 - MASK_P).float()
    dropped = (1 - keep) * image.inside
    return v, y, keep, dropped, max(1, int(dropped.sum().item()))


def main():
    a = common.parse_args()  # also sets torch's thread count
    if a.check:
        def shape(c):
            image = common.PaddedImage(torch.rand(1, c, 48, 64), flips=True)
            _, y, keep, _, _ = draw(image)
            with torch.no_grad():
                return tuple(Net(c)(keep * y, keep).shape)
        common.check("self2self", Net, EXPECTED_PARAMETERS, shape)
        return
    image = common.PaddedImage(common.synthetic_noisy(a.channels, a.height, a.width), flips=True)
    model = Net(a.channels)
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    total = torch.zeros(1, a.channels, a.height, a.width)

    def step():
        opt.zero_grad()
        _, y, keep, dropped, count = draw(image)
        loss = common.masked_loss(model(keep * y, keep), y, dropped, count, l1=False)
        loss.item()  # Hush reads the loss every step (its divergence check)
        loss.backward()
        opt.step()

    def one_pass():
        v, y, keep, _, _ = draw(image)
        image.accumulate(model(keep * y, keep), v, total)

    common.time_run(a, "self2self", step, one_pass)


if __name__ == "__main__":
    main()
