#!/usr/bin/env bash
# Times training iterations of Hush and of the PyTorch reference alternately (A B A B ...)
# in one run, so both see the same machine state, and prints the per-iteration ratio; for the
# methods that average stochastic passes (the U-Net methods) also the per-pass ratio.
# Usage: bench/side-by-side.sh [ROUNDS] [SIZES] [CHANNELS] [THREADS] [METHOD]
#   e.g. bench/side-by-side.sh 3 256x256,768x512 3 1,2
#        bench/side-by-side.sh 3 256x256 3 1,2 s2s-unet     # the Self2Self-style U-Net yardstick
#        bench/side-by-side.sh 3 256x256 3 1 blind2grad     # a U-Net method: ms/iter and ms/pass
# METHOD: zs-n2n (bench/reference/zsn2n_torch.py), s2s-unet (bench/reference/s2s_unet_torch.py),
#   self2self-plus, self2self or blind2grad (bench/reference/<method>_torch.py, '-' as '_': the same
#   network, step and inference pass as Hush's method; `<script> --check` asserts its parameter count).
# ITERS and WARMUP (environment) set the timed and untimed training iterations (default 20 and 10).
# Both sides time 5 inference passes after one untimed pass (Hush's bench speed fixes 5).
# blind2grad: keep WARMUP + ITERS ≤ 500; Hush re-estimates its dual mask after step 500 (4 extra forward
#   passes inside one timed step), which the twin leaves out of its steps.
# Installs Debian's python3-torch if missing (run as root), and runs it with /usr/bin/python3.
# DOTNET_EnableAVX512=0 (an AVX2-only machine, emulated): PyTorch is held to AVX2 as well (ATEN_CPU_CAPABILITY=avx2,
#   ONEDNN_MAX_CPU_ISA=AVX2), so both sides run the instruction set such a machine has.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}; sizes=${2:-256x256,512x512,768x512}; channels=${3:-3,1}; threads=${4:-1,2}; method=${5:-zs-n2n}
case "$method" in
  zs-n2n) torch_script="$root/bench/reference/zsn2n_torch.py" ;;
  s2s-unet) torch_script="$root/bench/reference/s2s_unet_torch.py" ;;
  self2self-plus|self2self|blind2grad) torch_script="$root/bench/reference/${method//-/_}_torch.py" ;;
  *) echo "unknown method $method (zs-n2n, s2s-unet, self2self-plus, self2self or blind2grad)" >&2; exit 2 ;;
esac
iters=${ITERS:-20}; warmup=${WARMUP:-10}
# The scripts of the methods with an ensemble take the number of timed passes; the two older ones have no passes.
pass_args=()
case "$method" in self2self-plus|self2self|blind2grad) pass_args=(--passes 5) ;; esac

if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "installing python3-torch (Debian) ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
fi
dotnet build "$root/src/Hush.Cli" -c Release -v q -nologo >/dev/null
# Where node reuse is on (the SDK's default), the build leaves MSBuild nodes and the compiler server running; stop
# them so that nothing of the build shares the cores with the first timed round.
dotnet build-server shutdown >/dev/null 2>&1 || true
hush="$root/src/Hush.Cli/bin/Release/net10.0/hush"
log=$(mktemp)
torch_env=()
if [ "${DOTNET_EnableAVX512:-1}" = "0" ]; then torch_env=(ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2); fi
isa=AVX2
if grep -q avx512f /proc/cpuinfo && [ "${DOTNET_EnableAVX512:-1}" != "0" ]; then isa=AVX-512; fi

for size in ${sizes//,/ }; do
  w=${size%x*}; h=${size#*x}
  for c in ${channels//,/ }; do
    for t in ${threads//,/ }; do
      for r in $(seq 1 "$rounds"); do
        "$hush" bench speed -m "$method" --sizes "$size" --channels "$c" --threads "$t" --warmup "$warmup" -n "$iters" --json >> "$log"
        env ${torch_env[@]+"${torch_env[@]}"} /usr/bin/python3 "$torch_script" --width "$w" --height "$h" --channels "$c" \
          --threads "$t" --warmup "$warmup" --iters "$iters" ${pass_args[@]+"${pass_args[@]}"} >> "$log"
      done
    done
  done
done

/usr/bin/python3 - "$log" "$method" "$isa" <<'PY'
import json, sys, statistics, platform, datetime
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in rows:
    impl = r["impl"]
    med = r.get("medianMs") or statistics.median(r.get("ms_per_iter") or r.get("msPerIter"))
    # Hush reports medianMsPerPass (null without an ensemble); the twins list ms_per_pass.
    per_pass = r.get("medianMsPerPass") or (statistics.median(r["ms_per_pass"]) if r.get("ms_per_pass") else None)
    key = (r["width"], r["height"], r["channels"], r["threads"])
    g = groups.setdefault(key, {})
    g.setdefault(impl, []).append(med)
    if per_pass is not None:
        g.setdefault(impl + " pass", []).append(per_pass)
with_passes = any("hush pass" in g and "pytorch pass" in g for g in groups.values())
print(f"# {sys.argv[2]} ms per training iteration{' and per inference pass' if with_passes else ''}, "
      f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, both sides at {sys.argv[3]}")
if with_passes:
    print("| size | C | threads | Hush ms/iter | PyTorch ms/iter | PyTorch / Hush | Hush ms/pass | PyTorch ms/pass | PyTorch / Hush |")
    print("|---|---|---|---|---|---|---|---|---|")
else:
    print("| size | C | threads | Hush ms/iter | PyTorch ms/iter | PyTorch / Hush |")
    print("|---|---|---|---|---|---|")
for (w, h, c, t), g in sorted(groups.items()):
    hs, ts = statistics.median(g["hush"]), statistics.median(g["pytorch"])
    line = f"| {w}x{h} | {c} | {t} | {hs:.1f} | {ts:.1f} | {ts/hs:.2f}x |"
    if with_passes:
        hp, tp = (statistics.median(g[k]) if k in g else float("nan") for k in ("hush pass", "pytorch pass"))
        line += f" {hp:.1f} | {tp:.1f} | {tp/hp:.2f}x |"
    print(line)
print("(each cell: median over rounds of the per-round median" + (" iteration or pass time)" if with_passes else " iteration time)"))
print()
print("Per-round medians (ms/iter" + ("; ms/pass" if with_passes else "") + "), in the order they ran:")
for (w, h, c, t), g in sorted(groups.items()):
    line = (f"- {w}x{h} C={c} {t} thread(s): Hush " + ", ".join(f"{v:.1f}" for v in g["hush"]) +
            "; PyTorch " + ", ".join(f"{v:.1f}" for v in g["pytorch"]))
    if with_passes:
        line += ("; per pass: Hush " + ", ".join(f"{v:.1f}" for v in g.get("hush pass", [])) +
                 "; PyTorch " + ", ".join(f"{v:.1f}" for v in g.get("pytorch pass", [])))
    print(line)
PY
rm -f "$log"
