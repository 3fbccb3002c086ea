"""Writes and reads Hush tensor files (the format Hush.Denoising.Quality.TensorFile reads), with plain torch.

Layout, all little-endian:
  magic "HUSHTNSR" (8 bytes), version uint32 = 1, count uint32,
  then per tensor: name length uint16, UTF-8 name, rank uint8, rank x int32 dims, prod(dims) x float32.
No numpy: the float data goes through the array module.
"""
import array
import struct
import sys

MAGIC = b"HUSHTNSR"


def _floats(t):
    a = array.array("f", t.detach().to("cpu").float().contiguous().flatten().tolist())
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def write(path, tensors):
    """tensors: iterable of (name, torch.Tensor); every tensor is stored as float32."""
    items = list(tensors)
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<II", 1, len(items)))
        for name, t in items:
            encoded = name.encode("utf-8")
            f.write(struct.pack("<H", len(encoded)))
            f.write(encoded)
            f.write(struct.pack("<B", t.dim()))
            f.write(struct.pack("<%di" % t.dim(), *t.shape))
            f.write(_floats(t))


def read(path):
    """Returns {name: torch.float32 tensor}."""
    import torch

    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC:
        raise ValueError(f"{path}: not a Hush tensor file")
    version, count = struct.unpack_from("<II", data, 8)
    if version != 1:
        raise ValueError(f"{path}: version {version} is not supported")
    at, out = 16, {}
    for _ in range(count):
        (n,) = struct.unpack_from("<H", data, at)
        name = data[at + 2:at + 2 + n].decode("utf-8")
        at += 2 + n
        rank = data[at]
        shape = struct.unpack_from("<%di" % rank, data, at + 1)
        at += 1 + 4 * rank
        length = 1
        for d in shape:
            length *= d
        a = array.array("f")
        a.frombytes(data[at:at + 4 * length])
        if sys.byteorder != "little":
            a.byteswap()
        at += 4 * length
        out[name] = torch.tensor(a.tolist(), dtype=torch.float32).reshape(shape)
    return out
