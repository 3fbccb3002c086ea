#!/usr/bin/python3
"""Self2Self+ in PyTorch, the same network, step and pass as Hush's `self2self-plus` (docs/methods/self2self-plus.md;
src/Hush.Denoising/Methods/Self2SelfPlus/), written here to time the two side by side.

Network (width 48, reflect borders everywhere, weights N(0, 0.02²), biases 0), input concat(M, M⊙y) with 2C channels:
  EB0 = GatedConv(2C→48) → GatedConv(48→48) at H×W; EB1..EB5 = maxpool 2 → GatedConv(48→48), down to H/32.
  GatedConv = LeakyReLU(Conv_f(x), 0.2) ⊙ sigmoid(Conv_g(x)); as in Hush, Conv_f and Conv_g are one 3×3 convolution
  with 2·48 outputs split by channel (PyTorch has no gated convolution: this is the plain composition).
  Decoder: 5 × [nearest ×2, concat e4, e3, e2, e1, e0; dropout(p) → conv3×3 → 96 → LReLU 0.2, twice],
  then conv3×3 96→C, no activation.
Step: Bernoulli mask M per channel and pixel (keep 1 − p, p = 0.4), dropout p = 0.4 (active in prediction too), L1 on
the dropped samples inside the image, Σ|out − y|⊙(1 − M) / Σ(1 − M), Adam at a constant 4e-4 (the IQA term is off by
default in Hush and left out here). Pass: one forward with a fresh mask and dropout, cropped and added to the ensemble
sum. Sides that are not multiples of 32 are reflect-padded at the bottom and right, as Hush does.

Prints one JSON line like s2s_unet_torch.py ("method": "self2self-plus"), with ms_per_pass added.
--check asserts the parameter count equals Hush's and the output shape of a 64×48 image. Run with /usr/bin/python3.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import unet_twin_common as common

WIDTH, DECODER_WIDTH = 48, 96
MASK_P = 0.4            # Self2SelfPlusOptions.MaskProbability
DROPOUT = MASK_P        # EffectiveDropoutRate: the official code uses one p for both
LEARNING_RATE = 4e-4    # Self2SelfPlusDescriptor.DefaultLearningRate

# Hush's Self2SelfPlusNetwork(2C, C).ParameterCount: 96·(18C+1) for the first gated conv, 6·96·(48·9+1) for the other
# six, (96 + 4·144)·9·96 + 5·96 + 5·(96·9·96 + 96) for the decoder, 96·9·C + C for the output = 2593·C + 1,245,792.
EXPECTED_PARAMETERS = {3: 1_253_571, 1: 1_248_385}


class GatedConv2d(nn.Module):
    """Hush's GatedConv2d: one reflect-padded 3×3 convolution to 2·out channels, N(0, 0.02²) weights, bias 0; the
    first half through LeakyReLU 0.2, times the sigmoid of the second half."""

    def __init__(self, cin, cout):
        super().__init__()
        self.out = cout
        self.conv = common.conv3x3(cin, 2 * cout, "reflect", "normal002")

    def forward(self, x):
        both = self.conv(x)
        return F.leaky_relu(both[:, :self.out], 0.2) * torch.sigmoid(both[:, self.out:])


class Net(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.encoder = nn.ModuleList(GatedConv2d(2 * c if k == 0 else WIDTH, WIDTH) for k in range(7))
        self.decoder = nn.ModuleList(nn.ModuleList([
            common.conv3x3((WIDTH if k == 0 else DECODER_WIDTH) + WIDTH, DECODER_WIDTH, "reflect", "normal002"),
            common.conv3x3(DECODER_WIDTH, DECODER_WIDTH, "reflect", "normal002")]) for k in range(5))
        self.out = common.conv3x3(DECODER_WIDTH, c, "reflect", "normal002")

    def forward(self, x):
        h = self.encoder[1](self.encoder[0](x))
        skips = [h]
        for k in range(1, 6):
            h = self.encoder[k + 1](F.max_pool2d(h, 2))
            skips.append(h)  # at H/2^k
        for k, convs in enumerate(self.decoder):
            h = common.up_concat(h, skips[4 - k])
            for conv in convs:
                h = F.leaky_relu(conv(F.dropout(h, DROPOUT, training=True)), 0.2)
        return self.out(h)


def masked_input(image):
    """concat(M, M⊙y) for a fresh Bernoulli mask M, and (1 − M) inside the image with its count (at least 1)."""
    y = image.variants[0]
    keep = (torch.rand_like(y) < 1 - MASK_P).float()
    dropped = (1 - keep) * image.inside
    return torch.cat([keep, keep * y], 1), dropped, max(1, int(dropped.sum().item()))


def main():
    a = common.parse_args()  # also sets torch's thread count
    if a.check:
        def shape(c):
            image = common.PaddedImage(torch.rand(1, c, 48, 64), flips=False)
            with torch.no_grad():
                return tuple(Net(c)(masked_input(image)[0]).shape)
        common.check("self2self-plus", Net, EXPECTED_PARAMETERS, shape)
        return
    image = common.PaddedImage(common.synthetic_noisy(a.channels, a.height, a.width), flips=False)
    model = Net(a.channels)
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    total = torch.zeros(1, a.channels, a.height, a.width)

    def step():
        opt.zero_grad()
        x, dropped, count = masked_input(image)
        loss = common.masked_loss(model(x), image.variants[0], dropped, count, l1=True)
        loss.item()  # Hush reads the loss every step (its divergence check)
        loss.backward()
        opt.step()

    def one_pass():
        image.accumulate(model(masked_input(image)[0]), 0, total)

    common.time_run(a, "self2self-plus", step, one_pass)


if __name__ == "__main__":
    main()
