#!/usr/bin/env bash
# LoTA-N2N against ZS-N2N on identical inputs, with `hush bench quality` (resumable: rerun the same
# command after a stop and only unfinished runs are computed).
#   bench/lota/compare.sh [OUT_DIR] [THREADS] [LIMIT]
# 1. ../shared/reference/zsn2n-kodak256: the 8 Kodak 256×256 crops with the reference's own σ=25/σ=50 noisy files.
# 2. Poisson peak 30 and 50 made from the same clean crops (noise seed 0, kept in float as `hush noise` does),
#    the first LIMIT crops (default 4).
# 3. Images not used to choose the defaults: Set12 grey (256×256: 01–04) at σ=25 and McMaster RGB (centre 256×256
#    crops of 1–2) at Poisson 30.
# Seed 0; THREADS (default 1) threads per run, and the sets run one after another.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/out/lota-compare}
threads=${2:-1}
limit=${3:-4}
ref="$root/../shared/reference/zsn2n-kodak256"
data="$root/../shared/data"
dotnet build "$root/src/Hush.Cli" -c Release -v q -nologo >/dev/null
# A private copy, so rebuilding the tree during a long run cannot change the binary mid-way.
rm -rf "$out/bin" && mkdir -p "$out" && cp -r "$root/src/Hush.Cli/bin/Release/net10.0" "$out/bin"
hush="$out/bin/hush"
methods=zs-n2n,lota-n2n

"$hush" bench quality --pairs "$ref" -m $methods -t "$threads" -o "$out/kodak-gauss"
clean=$(ls "$ref"/*_clean.png | head -n "$limit")
# shellcheck disable=SC2086
"$hush" bench quality --clean $clean --noise p30,p50 -m $methods -t "$threads" -o "$out/kodak-poisson"
"$hush" bench quality --clean "$data"/Set12/0{1,2,3,4}.png --noise g25 -m $methods -t "$threads" -o "$out/unseen-set12"
"$hush" bench quality --clean "$data"/McMaster/{1,2}.png --crop 256x256 --noise p30 -m $methods -t "$threads" -o "$out/unseen-mcmaster"
