#!/usr/bin/env bash
# Self2Self+ and Self2Self against ZS-N2N on identical inputs, with `hush bench quality` (resumable:
# rerun the same command after a stop and only unfinished runs are computed).
#   bench/s2s/compare.sh [OUT_DIR] [THREADS] [LIMIT]
# 1. ../shared/reference/zsn2n-kodak256: the Kodak 256×256 crops with the reference's own σ=25/σ=50 noisy files
#    (the first LIMIT images, default 2; ZS-N2N's scores for all 8 are in bench/RESULTS.md).
# 2. CBSD68: centre 128×128 crops of the first LIMIT+1 images (sorted by name), σ=25 and σ=50 made with noise seed 0.
# 3. Images used for nothing else: McMaster 1–2, centre 128×128 crops, σ=25 and σ=50.
# Published defaults everywhere (self2self-plus: 4000 iterations, p = 0.4, 500 passes; self2self: 3000 iterations,
# 100 passes), seed 0, THREADS (default 1) threads per run; the sets run one after another. At 1 thread on the
# 2-core VM a 256² Self2Self+ run takes about 45 minutes, a 128² one about 10.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/out/s2s-compare}
threads=${2:-1}
limit=${3:-2}
ref="$root/../shared/reference/zsn2n-kodak256"
data="$root/../shared/data"
dotnet build "$root/src/Hush.Cli" -c Release -v q -nologo >/dev/null
# A private copy, so rebuilding the tree during a long run cannot change the binary mid-way.
rm -rf "$out/bin" && mkdir -p "$out" && cp -r "$root/src/Hush.Cli/bin/Release/net10.0" "$out/bin"
hush="$out/bin/hush"

"$hush" bench quality --pairs "$ref" --noise g25,g50 --limit "$limit" -m zs-n2n,self2self-plus -t "$threads" --save-outputs -o "$out/kodak"
"$hush" bench quality --clean "$data/CBSD68" --limit "$((limit + 1))" --crop 128x128 --noise g25,g50 \
  -m zs-n2n,self2self-plus,self2self -t "$threads" --save-outputs -o "$out/cbsd68-128"
"$hush" bench quality --clean "$data"/McMaster/{1,2}.png --crop 128x128 --noise g25,g50 \
  -m zs-n2n,self2self-plus -t "$threads" --save-outputs -o "$out/unseen-mcmaster-128"
