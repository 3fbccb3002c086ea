#!/usr/bin/env bash
# BM3D / CBM3D against the published tables (BSD68 and Set12 grey, CBSD68 colour; σ = 15, 25, 50), with σ given and,
# on BSD68, estimated. Float noise as in the DnCNN protocol (unclipped: the "u" labels), noise seed 0. Resumable: rerun
# the same command after a stop and only unfinished runs are computed.
#   bench/bm3d/tables.sh [OUT_DIR] [THREADS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/out/bm3d-tables}
threads=${2:-2}
data="$root/../shared/data"
dotnet build "$root/src/Hush.Cli" -c Release -v q -nologo >/dev/null
# A private copy, so rebuilding the tree during a long run cannot change the binary mid-way.
rm -rf "$out/bin" && mkdir -p "$out" && cp -r "$root/src/Hush.Cli/bin/Release/net10.0" "$out/bin"
hush="$out/bin/hush"
for set in BSD68 Set12 CBSD68; do
  for s in 15 25 50; do
    "$hush" bench quality --clean "$data/$set" --noise "g${s}u" -m bm3d --sweep "sigma=$s" -t "$threads" -q -o "$out/$set-$s"
  done
done
# σ estimated (sigma=0): the loss against σ given.
for s in 15 25 50; do
  "$hush" bench quality --clean "$data/BSD68" --noise "g${s}u" -m bm3d -t "$threads" -q -o "$out/BSD68-$s-estimated"
done
for f in "$out"/*/results.md; do printf '%s: ' "$(basename "$(dirname "$f")")"; grep '^| bm3d' "$f" | head -1; done
