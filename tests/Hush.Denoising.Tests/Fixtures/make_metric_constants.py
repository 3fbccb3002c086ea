import numpy as np, zlib, struct, skimage
from skimage.metrics import structural_similarity, peak_signal_noise_ratio
def load(p):
    b = open(p,'rb').read(); i = 8; idat=b''
    while i < len(b):
        n, t = struct.unpack('>I4s', b[i:i+8]); d = b[i+8:i+8+n]; i += 12+n
        if t == b'IHDR': w,h,bd,ct,_,_,il = struct.unpack('>IIBBBBB', d)
        if t == b'IDAT': idat += d
    assert il == 0
    ch = {0:1,2:3}[ct]; bpp = ch*bd//8; raw = zlib.decompress(idat); stride = w*bpp
    out = bytearray(h*stride); prev = bytearray(stride)
    for y in range(h):
        f = raw[y*(stride+1)]; line = bytearray(raw[y*(stride+1)+1:(y+1)*(stride+1)])
        for x in range(stride):
            a = line[x-bpp] if x>=bpp else 0; up = prev[x]; c = prev[x-bpp] if x>=bpp else 0
            if f==1: line[x]=(line[x]+a)&255
            elif f==2: line[x]=(line[x]+up)&255
            elif f==3: line[x]=(line[x]+(a+up)//2)&255
            elif f==4:
                pa=abs(up-c); pb=abs(a-c); pc=abs(a+up-2*c)
                pr = a if pa<=pb and pa<=pc else (up if pb<=pc else c)
                line[x]=(line[x]+pr)&255
        out[y*stride:(y+1)*stride]=line; prev=line
    a = np.frombuffer(bytes(out), dtype='>u2' if bd==16 else np.uint8).reshape((h,w,ch) if ch>1 else (h,w))
    return a.astype(np.float64) / (2**bd - 1)
pairs = [
 ("reference/zsn2n-kodak256/Kodak24_kodim01_g25.png", "reference/zsn2n-kodak256/Kodak24_kodim01_clean.png"),
 ("reference/zsn2n-kodak256/Kodak24_kodim05_g50.png", "reference/zsn2n-kodak256/Kodak24_kodim05_clean.png"),
 ("data/real_noise/SIDD/NOISY_8.png", "data/real_noise/SIDD/GT_8.png"),
 ("data/Set12/01.png", "data/Set12/02.png"),
 ("data/BSD68/test001.png", "data/BSD68/test002.png"),
]
print("skimage", skimage.__version__)
for a,b in pairs:
    x = load(a); y = load(b)
    ca = 2 if x.ndim == 3 else None
    p = peak_signal_noise_ratio(y, x, data_range=1)
    s = structural_similarity(y, x, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1, channel_axis=ca)
    print(f'["{a}", "{b}", {p:.6f}, {s:.6f}],', x.shape)
