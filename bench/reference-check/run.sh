#!/usr/bin/env bash
# Runs `hush denoise` (ZS-N2N, 3000 iterations) on every noisy file of
# ../shared/reference/zsn2n-kodak256 and compares PSNR/SSIM with the PyTorch reference's
# (reference.tsv). Usage: bench/reference-check/run.sh [OUT_DIR] [THREADS] [JOBS]
# JOBS > 1 runs that many images at once (each with THREADS threads).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ref="$root/../shared/reference/zsn2n-kodak256"
out=${1:-$root/out/reference-check}
threads=${2:-2}
jobs=${3:-1}
iters=${ITERATIONS:-3000}
mkdir -p "$out"
dotnet build "$root/src/Hush.Cli" -c Release -v q -nologo >/dev/null
# Run from a private copy so rebuilding the tree during a long run cannot change the binary mid-way.
rm -rf "$out/bin" && cp -r "$root/src/Hush.Cli/bin/Release/net10.0" "$out/bin"
hush="$out/bin/hush"

run_one() {
  local noisy=$1 clean=$2 name=$3
  local result="$out/$name.json"
  [ -s "$result" ] && return 0   # resumable
  local den="$out/$name.denoised.png"
  local t
  t=$("$hush" denoise "$ref/$noisy" -o "$den" --overwrite -m zs-n2n --iterations "$iters" --seed 0 --threads "$threads" --bit-depth 16 --json)
  local m
  m=$("$hush" metrics "$den" --reference "$ref/$clean" --json)
  printf '{"denoise":%s,"metrics":%s}\n' "$t" "$m" > "$result.tmp" && mv "$result.tmp" "$result"
}
export -f run_one; export out ref hush iters threads

tail -n +2 "$ref/reference.tsv" | while IFS=$'\t' read -r image noise noisy clean _; do
  echo "$noisy $clean ${noisy%.png}"
done | xargs -P "$jobs" -n 3 bash -c 'run_one "$0" "$1" "$2"'

/usr/bin/env python3 - "$ref/reference.tsv" "$out" <<'PY'
import json, sys, os, statistics
tsv, out = sys.argv[1], sys.argv[2]
rows = [l.rstrip('\n').split('\t') for l in open(tsv)][1:]
by = {}
print("| image | noise | noisy dB | reference dB | Hush dB | Δ dB | ref SSIM | Hush SSIM | Hush s |")
print("|---|---|---|---|---|---|---|---|---|")
for image, noise, noisy, clean, npsnr, rpsnr, rssim, *_ in rows:
    f = os.path.join(out, noisy[:-4] + ".json")
    if not os.path.exists(f): continue
    j = json.load(open(f))
    p, s, sec = j["metrics"]["psnr"], j["metrics"]["ssim"], j["denoise"]["seconds"]
    d = p - float(rpsnr)
    by.setdefault(noise, []).append(d)
    print(f"| {image} | {noise} | {float(npsnr):.2f} | {float(rpsnr):.3f} | {p:.3f} | {d:+.3f} | {float(rssim):.4f} | {s:.4f} | {sec:.1f} |")
for noise, ds in by.items():
    print(f"\n{noise}: mean Δ {statistics.mean(ds):+.3f} dB over {len(ds)} images, worst {min(ds):+.3f} dB")
PY
