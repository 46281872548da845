#!/usr/bin/env bash
# Runs the GPU benchmark on the GPU machine from the folder make-bundle.sh wrote (carried as .gpu):
#   bash .gpu/run-on-gpu.sh                 on the GPU machine: Vulkan, full run, log in $OUT/gpu-bench.log
#   GPU_BENCH_DRY_RUN=1 OUT=/tmp/o bash .gpu/run-on-gpu.sh
#                                           anywhere else: the same steps on the CPU (--gpu cpu --quick),
#                                           without touching / (no dpkg, no ldconfig)
# GPU_BENCH_GPU (default vulkan) and GPU_BENCH_ARGS (extra benchmark flags) override the defaults.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/out}
WORK=${GPU_BENCH_WORK:-/tmp/hearth-gpu-bench}
mkdir -p "$OUT" "$WORK"
LOG=$OUT/gpu-bench.log
started=$(date +%s)
say() { echo "$*" | tee -a "$LOG"; }
: > "$LOG"

if [ "${GPU_BENCH_DRY_RUN:-0}" = 1 ]; then
  GPU=${GPU_BENCH_GPU:-cpu}
  ARGS=${GPU_BENCH_ARGS:---quick}
  say "dry run: --gpu $GPU $ARGS (no dpkg, no ldconfig)"
else
  GPU=${GPU_BENCH_GPU:-vulkan}
  ARGS=${GPU_BENCH_ARGS:-}
  # The Vulkan loader and the GL vendor-neutral dispatch libraries the NVIDIA ICD links against,
  # unpacked into / as the device notes say; the NVIDIA ICD itself is already there.
  for deb in "$HERE"/*.deb; do dpkg -x "$deb" /; done
  ldconfig
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  say "vulkan loader: $(ldconfig -p | grep -c libvulkan) entries; ICD $(ls "$VK_DRIVER_FILES" 2>&1)"
  say "ICD library: $(grep -o '"library_path"[^,]*' "$VK_DRIVER_FILES" 2>&1)"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv,noheader 2>&1 | tee -a "$LOG"
fi

tar -xJf "$HERE/bundle.tar.xz" -C "$WORK" || { say "could not unpack the bundle"; exit 1; }
say "unpacked in $(( $(date +%s) - started )) s; node $("$WORK/hearth-gpu/node" --version)"
cd "$WORK/hearth-gpu"
if [ "$GPU" != cpu ]; then
  # Why a GPU build would not load: missing shared libraries, then node-llama-cpp's own binary test.
  for lib in node_modules/@node-llama-cpp/linux-x64-"$GPU"/bins/*/*.so node_modules/@node-llama-cpp/linux-x64-"$GPU"/bins/*/*.node; do
    missing=$(ldd "$lib" 2>&1 | grep 'not found'); [ -n "$missing" ] && say "$lib: $missing"
  done
  timeout 60 ./node --input-type=module -e "
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    try {
      const llama = await getLlama({ gpu: '$GPU', build: 'never', skipDownload: true, progressLogs: true, pipeBinaryTestErrorLogs: true, logLevel: LlamaLogLevel.warn });
      console.log('probe: gpu', llama.gpu, 'devices', JSON.stringify(await llama.getGpuDeviceNames()), 'vram', JSON.stringify(await llama.getVramState()));
    } catch (error) { console.log('probe failed:', error); }" 2>&1 | tail -40 | tee -a "$LOG"
fi
# The models are generated here by the benchmark itself (about 20 s for both on one core). On the
# H200 the decode figures took about 240 s for both models with the unpacking, and the serving
# figures add about 30 s per model (90 s at most): the limit leaves the run under 10 minutes.
# shellcheck disable=SC2086
timeout 420 ./node app/gpu-benchmark.js --gpu "$GPU" --models-dir "$WORK/models" $ARGS 2>&1 | tee -a "$LOG"
status=${PIPESTATUS[0]}
say "finished with status $status in $(( $(date +%s) - started )) s"
exit "$status"
