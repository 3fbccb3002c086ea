#!/usr/bin/env python3
"""Converts the PaQ-2-PiQ authors' PyTorch checkpoint to a Hush tensor file for `hush denoise --iqa-weights`.

    /usr/bin/python3 tools/paq2piq/convert.py RoIPoolModel-fit.10.bs.120.pth paq2piq.htf

Needs only torch (Debian's python3-torch works; no torchvision, no numpy). Accepts the authors' file (a dict whose
'model' entry is the RoIPoolModel state dict), pyiqa's re-saved copy (P2P_RoIPoolModel-fit.10.bs.120-*.pth), or
a bare state dict; 'module.' / 'net.' key prefixes are removed. Every floating-point tensor is written under its
PyTorch name (body.0.weight ... head.8.bias) as float32; BatchNorm's num_batches_tracked counters are dropped.
Hush checks the names and shapes when it loads the file and folds the BatchNorms itself.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hush_tensors  # noqa: E402

EXPECTED = ["body.0.weight", "body.1.running_var", "body.7.1.bn2.bias", "head.4.weight", "head.8.bias"]


def state_dict_of(checkpoint):
    if isinstance(checkpoint, dict):
        for key in ("model", "state_dict", "params"):
            if key in checkpoint and isinstance(checkpoint[key], dict):
                return state_dict_of(checkpoint[key])
        return checkpoint
    if hasattr(checkpoint, "state_dict"):
        return checkpoint.state_dict()
    raise SystemExit(f"convert.py: cannot find a state dict in a {type(checkpoint).__name__}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", help="the authors' .pth file (RoIPoolModel-fit.10.bs.120.pth) or pyiqa's copy")
    parser.add_argument("output", help="Hush tensor file to write (e.g. paq2piq.htf)")
    args = parser.parse_args()

    checkpoint = torch.load(args.checkpoint, map_location="cpu")
    tensors = {}
    for name, value in state_dict_of(checkpoint).items():
        for prefix in ("module.", "net."):
            if name.startswith(prefix):
                name = name[len(prefix):]
        if not torch.is_tensor(value) or not value.is_floating_point():
            continue  # num_batches_tracked and the like
        tensors[name] = value
    missing = [n for n in EXPECTED if n not in tensors]
    if missing:
        raise SystemExit(f"convert.py: {args.checkpoint} does not look like a PaQ-2-PiQ RoIPoolModel (missing {', '.join(missing)})")
    hush_tensors.write(args.output, sorted(tensors.items()))
    count = sum(t.numel() for t in tensors.values())
    print(f"wrote {args.output}: {len(tensors)} tensors, {count:,} values (base width {tensors['body.0.weight'].shape[0]})")


if __name__ == "__main__":
    main()
