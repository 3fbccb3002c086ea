#!/usr/bin/python3
"""The Self2Self-style U-Net speed yardstick in PyTorch: the same network and step as Hush's
`hush bench speed -m s2s-unet` (src/Hush.Denoising/Benchmarks/SelfToSelfUNet.cs), to time side by side.

Encoder conv3x3(C->48), 5 x [conv3x3(48->48) + LeakyReLU(0.1), maxpool 2], conv3x3(48->48) + LeakyReLU at 1/32;
decoder 4 x [nearest x2, concat skip, dropout(0.3) + conv3x3(->96) + LReLU, dropout + conv3x3(96->96) + LReLU],
then x2, concat the masked input, conv(->64), conv(64->32), conv(32->C), sigmoid. Bernoulli(0.7) input mask,
MSE on the dropped pixels, Adam 1e-4. Plain convolutions stand in for partial convolutions on both sides.

Prints one JSON line like zsn2n_torch.py (with "method": "s2s-unet"). Run with /usr/bin/python3.
"""
import argparse, json, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class UNet(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.inp = nn.Conv2d(c, 48, 3, padding=1)
        self.down = nn.ModuleList(nn.Conv2d(48, 48, 3, padding=1) for _ in range(5))
        self.bottleneck = nn.Conv2d(48, 48, 3, padding=1)
        self.up_a = nn.ModuleList(nn.Conv2d(96 if k == 0 else 144, 96, 3, padding=1) for k in range(4))
        self.up_b = nn.ModuleList(nn.Conv2d(96, 96, 3, padding=1) for _ in range(4))
        self.out64 = nn.Conv2d(96 + c, 64, 3, padding=1)
        self.out32 = nn.Conv2d(64, 32, 3, padding=1)
        self.out_c = nn.Conv2d(32, c, 3, padding=1)

    def forward(self, x):
        act = lambda t: F.leaky_relu(t, 0.1)
        h = self.inp(x)
        skips = []
        for conv in self.down:
            h = F.max_pool2d(act(conv(h)), 2)
            skips.append(h)
        h = act(self.bottleneck(h))
        for k in range(4):
            h = torch.cat([F.interpolate(h, scale_factor=2, mode="nearest"), skips[3 - k]], 1)
            h = act(self.up_a[k](F.dropout(h, 0.3, training=True)))
            h = act(self.up_b[k](F.dropout(h, 0.3, training=True)))
        h = torch.cat([F.interpolate(h, scale_factor=2, mode="nearest"), x], 1)
        h = act(self.out64(h))
        h = act(self.out32(h))
        return torch.sigmoid(self.out_c(h))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)  # the VM defaults to 1 thread (measured: torch picks 1 thread on this VM)
    torch.manual_seed(0)
    y = torch.rand(1, a.channels, a.height, a.width)
    model = UNet(a.channels)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    times = []
    for i in range(a.warmup + a.iters):
        t0 = time.perf_counter()
        keep = (torch.rand_like(y) < 0.7).float()
        dropped = 1 - keep
        out = model(y * keep)
        loss = ((out - y) ** 2 * dropped).sum() / dropped.sum().clamp(min=1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"impl": "pytorch", "method": "s2s-unet", "torch": torch.__version__, "width": a.width,
                      "height": a.height, "channels": a.channels, "threads": a.threads, "ms_per_iter": times}))


if __name__ == "__main__":
    main()
