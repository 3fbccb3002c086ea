#!/usr/bin/python3
"""Minimal PyTorch ZS-N2N (docs/methods/zs-n2n.md), used only to time the reference side by side with Hush.

Same network (conv3x3 C->48, LeakyReLU 0.2, conv3x3 48->48, LeakyReLU 0.2, conv1x1 48->C), pair
downsampler, residual + consistency loss, Adam lr 1e-3 with StepLR(1000, 0.5). Input: a synthetic
noisy image (uniform clean + Gaussian σ=25, clipped), since timing does not depend on content.

Prints one JSON line: {"impl": "pytorch", "width", "height", "channels", "threads", "ms_per_iter": [...]}.
Run with Debian's interpreter: /usr/bin/python3 (apt-get install python3-torch).
"""
import argparse, json, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, c, width=48):
        super().__init__()
        self.conv1 = nn.Conv2d(c, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)
        self.conv3 = nn.Conv2d(width, c, 1)

    def forward(self, x):
        x = F.leaky_relu(self.conv1(x), 0.2)
        x = F.leaky_relu(self.conv2(x), 0.2)
        return self.conv3(x)


def pair_downsampler(img):
    c = img.shape[1]
    f1 = torch.tensor([[[[0, 0.5], [0.5, 0]]]], dtype=img.dtype).repeat(c, 1, 1, 1)
    f2 = torch.tensor([[[[0.5, 0], [0, 0.5]]]], dtype=img.dtype).repeat(c, 1, 1, 1)
    return F.conv2d(img, f1, stride=2, groups=c), F.conv2d(img, f2, stride=2, groups=c)


def loss_func(model, y):
    y1, y2 = pair_downsampler(y)
    p1 = y1 - model(y1)
    p2 = y2 - model(y2)
    loss_res = 0.5 * (F.mse_loss(y1, p2) + F.mse_loss(y2, p1))
    den = y - model(y)
    d1, d2 = pair_downsampler(den)
    loss_cons = 0.5 * (F.mse_loss(p1, d1) + F.mse_loss(p2, d2))
    return loss_res + loss_cons


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--iters", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)  # the VM defaults to 1 thread (measured: torch picks 1 thread on this VM)
    torch.manual_seed(0)
    clean = torch.rand(1, a.channels, a.height, a.width)
    y = torch.clamp(clean + torch.randn_like(clean) * 25 / 255, 0, 1)
    model = Net(a.channels)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1000, gamma=0.5)
    times = []
    for i in range(a.warmup + a.iters):
        t0 = time.perf_counter()
        loss = loss_func(model, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "width": a.width, "height": a.height,
                      "channels": a.channels, "threads": a.threads, "ms_per_iter": times}))


if __name__ == "__main__":
    main()
