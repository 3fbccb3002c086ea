#!/usr/bin/env python3
"""PaQ-2-PiQ in plain torch (no torchvision), for checking Hush's forward pass and input gradient.

Builds the authors' RoIPoolModel (torchvision ResNet-18 body without its last two children, RoIPool((2, 2), 1/32)
over the whole image, the AdaptiveConcatPool2d/BatchNorm1d/Linear head) with the same state-dict names, draws random
weights and non-trivial BatchNorm statistics, and writes into OUT_DIR:

  weights.htf   the model's tensors (what tools/paq2piq/convert.py would write from a checkpoint of it)
  expected.htf  'input' [1, 3, H, W] in [0, 1], 'score' [1] (the global score) and 'grad' [1, 3, H, W] (d score / d input)
  model.pth     the state dict wrapped as {'model': ...} like the authors' file (only with --checkpoint; to test convert.py)

The reference numbers are computed in float64 from the float32-rounded weights and input, so they measure Hush's
float32 error alone. --width 64 --hidden 512 is the published size (11 M parameters); the committed test fixture
uses --width 4 --hidden 32 (same architecture, narrower).

    /usr/bin/python3 tools/paq2piq/reference.py OUT_DIR [--width 4] [--hidden 32] [--height 70] [--image-width 100]
"""
import argparse
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hush_tensors  # noqa: E402


class BasicBlock(nn.Module):
    def __init__(self, inputs, width, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, width, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(width, width, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.downsample = None
        if stride != 1 or inputs != width:
            self.downsample = nn.Sequential(nn.Conv2d(inputs, width, 1, stride, bias=False), nn.BatchNorm2d(width))

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ConcatPool(nn.Module):  # fastai's AdaptiveConcatPool2d: max first, then mean
    def forward(self, x):
        return torch.cat([nn.functional.adaptive_max_pool2d(x, 1), nn.functional.adaptive_avg_pool2d(x, 1)], 1)


def roi_pool(feats, box, scale, bins):
    """torchvision.ops.roi_pool for one box (x1, y1, x2, y2) over every batch item, written out (legacy Caffe rules)."""
    h, w = feats.shape[-2:]

    def ranges(lo, hi, size):
        start = int(math.floor(lo * scale + 0.5)) if lo * scale >= 0 else -int(math.floor(-lo * scale + 0.5))
        end = int(math.floor(hi * scale + 0.5)) if hi * scale >= 0 else -int(math.floor(-hi * scale + 0.5))
        n = max(end - start + 1, 1)
        size_bin = n / bins
        return [(min(max(int(math.floor(b * size_bin)) + start, 0), size), min(max(int(math.ceil((b + 1) * size_bin)) + start, 0), size))
                for b in range(bins)]

    rows, cols = ranges(box[1], box[3], h), ranges(box[0], box[2], w)
    out = []
    for r0, r1 in rows:
        row = []
        for c0, c1 in cols:
            if r1 <= r0 or c1 <= c0:
                row.append(feats.new_zeros(feats.shape[:2]))
            else:
                row.append(feats[:, :, r0:r1, c0:c1].amax(dim=(2, 3)))
        out.append(torch.stack(row, -1))
    return torch.stack(out, -2)


class RoIPoolModel(nn.Module):
    def __init__(self, width=64, hidden=512):
        super().__init__()
        layers = [nn.Conv2d(3, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        inputs = width
        for stage in range(4):
            w = width << stage
            layers.append(nn.Sequential(BasicBlock(inputs, w, 2 if stage > 0 else 1), BasicBlock(w, w, 1)))
            inputs = w
        self.body = nn.Sequential(*layers)
        self.head = nn.Sequential(ConcatPool(), nn.Flatten(), nn.BatchNorm1d(2 * inputs), nn.Dropout(0.25),
                                  nn.Linear(2 * inputs, hidden), nn.ReLU(), nn.BatchNorm1d(hidden), nn.Dropout(0.5),
                                  nn.Linear(hidden, 1))

    def forward(self, x):
        feats = self.body(x)
        pooled = roi_pool(feats, (0, 0, x.shape[-1], x.shape[-2]), 1 / 32, 2)  # the global RoI, as pyiqa
        return self.head(pooled).view(x.shape[0], -1)


def randomize(model, generator):
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                module.weight.normal_(0, math.sqrt(2 / fan_in), generator=generator)
                if module.bias is not None:
                    module.bias.normal_(0, 0.1, generator=generator)
            elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                module.weight.uniform_(0.5, 1.5, generator=generator)
                module.bias.normal_(0, 0.2, generator=generator)
                module.running_mean.normal_(0, 0.3, generator=generator)
                module.running_var.uniform_(0.3, 2.0, generator=generator)
        model.head[8].bias.fill_(60.0)  # scores around the real model's range


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--width", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--height", type=int, default=70)
    parser.add_argument("--image-width", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--checkpoint", action="store_true", help="also write model.pth (to test convert.py)")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    generator = torch.Generator().manual_seed(args.seed)
    model = RoIPoolModel(args.width, args.hidden)
    randomize(model, generator)
    model.eval()  # running statistics, no dropout: how pyiqa runs it as a loss
    state = {k: v for k, v in model.state_dict().items() if v.is_floating_point()}
    hush_tensors.write(os.path.join(args.out_dir, "weights.htf"), sorted(state.items()))
    if args.checkpoint:
        torch.save({"model": model.state_dict()}, os.path.join(args.out_dir, "model.pth"))

    image = torch.rand(1, 3, args.height, args.image_width, generator=generator)
    model.double()  # float64 from the float32 values: the reference carries no float32 rounding of its own
    x = image.double().requires_grad_(True)
    score = model(x)
    score.sum().backward()
    hush_tensors.write(os.path.join(args.out_dir, "expected.htf"),
                       [("input", image), ("score", score.detach().view(1)), ("grad", x.grad)])
    params = sum(v.numel() for v in state.values())
    print(f"{args.out_dir}: width {args.width}, hidden {args.hidden}, {params:,} values, image "
          f"{args.height}x{args.image_width}, score {score.item():.6f}, |grad|max {x.grad.abs().max().item():.3e}")


if __name__ == "__main__":
    main()
