#!/usr/bin/env bash
# Denoises the bundled sample with every method at a fixed seed, at 1 and 2 threads, plus one ZS-N2N run on patches
# with tiled inference, all as 16-bit PNG, and writes the files' SHA-256 sums. Two builds whose sums match compute
# bit for bit the same: run it with the build before and after a change that must not change results.
# Usage: bench/regression/fixed-seed-outputs.sh HUSH_BUILD_DIR OUT_DIR   (HUSH_BUILD_DIR holds hush.dll)
set -euo pipefail
hush_dir=${1:?usage: fixed-seed-outputs.sh HUSH_BUILD_DIR OUT_DIR}
out=${2:?usage: fixed-seed-outputs.sh HUSH_BUILD_DIR OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
input="$root/samples/kodim03-crop-g25.png"
mkdir -p "$out"
run() {
  local name=$1; shift
  dotnet "$hush_dir/hush.dll" denoise "$input" -o "$out/$name.png" --overwrite --quiet --bit-depth 16 "$@"
}
for t in 1 2; do
  run "zs-n2n-t$t" -m zs-n2n -n 60 --seed 7 -t "$t"
  run "lota-n2n-t$t" -m lota-n2n -n 60 --fine-tune-iterations 20 --seed 7 -t "$t"
  run "self2self-plus-t$t" -m self2self-plus -n 6 --passes 3 --seed 7 -t "$t"
  run "self2self-t$t" -m self2self -n 6 --passes 3 --seed 7 -t "$t"
  run "blind2grad-t$t" -m blind2grad -n 6 --passes 3 --cycle-length 3 --seed 7 -t "$t"
done
run zs-n2n-patches -m zs-n2n -n 20 --seed 7 -t 2 --memory-budget 1M --patch-size 32
(cd "$out" && sha256sum ./*.png > sums.txt)
cat "$out/sums.txt"
