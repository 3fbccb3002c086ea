#!/usr/bin/env bash
# Times training iterations of Hush and of the PyTorch reference alternately (A B A B ...)
# in one run, so both see the same machine state, and prints the per-iteration ratio.
# Usage: bench/side-by-side.sh [ROUNDS] [SIZES] [CHANNELS] [THREADS] [METHOD]
#   e.g. bench/side-by-side.sh 3 256x256,768x512 3 1,2
#        bench/side-by-side.sh 3 256x256 3 1,2 s2s-unet     # the Self2Self-style U-Net yardstick
# METHOD: zs-n2n (bench/reference/zsn2n_torch.py) or s2s-unet (bench/reference/s2s_unet_torch.py).
# Installs Debian's python3-torch if missing (run as root), and runs it with /usr/bin/python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}; sizes=${2:-256x256,512x512,768x512}; channels=${3:-3,1}; threads=${4:-1,2}; method=${5:-zs-n2n}
case "$method" in
  zs-n2n) torch_script="$root/bench/reference/zsn2n_torch.py" ;;
  s2s-unet) torch_script="$root/bench/reference/s2s_unet_torch.py" ;;
  *) echo "unknown method $method (zs-n2n or s2s-unet)" >&2; exit 2 ;;
esac
iters=${ITERS:-20}; warmup=${WARMUP:-10}

if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "installing python3-torch (Debian) ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
fi
dotnet build "$root/src/Hush.Cli" -c Release -v q -nologo >/dev/null
hush="$root/src/Hush.Cli/bin/Release/net10.0/hush"
log=$(mktemp)

for size in ${sizes//,/ }; do
  w=${size%x*}; h=${size#*x}
  for c in ${channels//,/ }; do
    for t in ${threads//,/ }; do
      for r in $(seq 1 "$rounds"); do
        "$hush" bench speed -m "$method" --sizes "$size" --channels "$c" --threads "$t" --warmup "$warmup" -n "$iters" --json >> "$log"
        /usr/bin/python3 "$torch_script" --width "$w" --height "$h" --channels "$c" \
          --threads "$t" --warmup "$warmup" --iters "$iters" >> "$log"
      done
    done
  done
done

/usr/bin/python3 - "$log" "$method" <<'PY'
import json, sys, statistics, platform, datetime
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in rows:
    impl = r["impl"]
    med = r.get("medianMs") or statistics.median(r.get("ms_per_iter") or r.get("msPerIter"))
    key = (r["width"], r["height"], r["channels"], r["threads"])
    groups.setdefault(key, {}).setdefault(impl, []).append(med)
print(f"# {sys.argv[2]} ms per training iteration, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}")
print("| size | C | threads | Hush ms/iter | PyTorch ms/iter | PyTorch / Hush |")
print("|---|---|---|---|---|---|")
for (w, h, c, t), g in sorted(groups.items()):
    hs, ts = statistics.median(g["hush"]), statistics.median(g["pytorch"])
    print(f"| {w}x{h} | {c} | {t} | {hs:.1f} | {ts:.1f} | {ts/hs:.2f}x |")
print("(each cell: median over rounds of the per-round median iteration time)")
print()
print("Per-round medians (ms/iter), in the order they ran:")
for (w, h, c, t), g in sorted(groups.items()):
    print(f"- {w}x{h} C={c} {t} thread(s): Hush " + ", ".join(f"{v:.1f}" for v in g["hush"]) +
          "; PyTorch " + ", ".join(f"{v:.1f}" for v in g["pytorch"]))
PY
rm -f "$log"
