#!/usr/bin/env bash
# Builds what the GPU benchmark machine needs (it has no Node, no npm, no network) into one folder,
# by default /work/main/.gpu (git-ignored there), kept under 55 MiB:
#   bundle.tar.xz   node (a copy of this machine's binary), the benchmark bundled to plain JS, and a
#                   minimal node_modules: node-llama-cpp without its 34 MB llama.cpp git bundle, its
#                   runtime dependencies, and only the linux-x64 CPU and Vulkan prebuilt binaries
#                   (the CUDA ones are 538 MB, far over the 64 MiB a run may carry)
#   *.deb           the Vulkan loader and the glvnd GL/EGL libraries the NVIDIA ICD links against,
#                   which that machine lacks
#   run-on-gpu.sh   what the device run executes
# Usage: bench/gpu/make-bundle.sh [OUT_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT_DIR=${1:-/work/main/.gpu}
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
APP=$STAGE/hearth-gpu

cd "$ROOT"
npx tsc -b
# Plain ESM JS for plain `node`; everything but node-llama-cpp (native, loads its binaries from its
# own folder) is bundled in. createRequire lets bundled CommonJS dependencies require Node built-ins.
npx esbuild bench/gpu-benchmark.ts bench/stream-client-process.ts --bundle --platform=node --format=esm --target=node20 \
  --external:node-llama-cpp --outdir="$APP/app" --log-level=warning \
  --banner:js="import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"

mkdir -p "$APP/node_modules"
node bench/gpu/node-llama-cpp-closure.mjs "$ROOT" | while read -r dir; do
  mkdir -p "$APP/$(dirname "$dir")"
  cp -rL "$ROOT/$dir" "$APP/$dir"
done
rm -f "$APP/node_modules/node-llama-cpp/llama/gitRelease.bundle"
cp /usr/bin/node "$APP/node"
# node links only glibc, libstdc++ and libgcc_s, which any CUDA image has; say so if that changes.
if ldd /usr/bin/node | grep -v -E 'linux-vdso|ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|libstdc\+\+|libgcc_s' | grep -q .; then
  echo "warning: node links libraries the GPU machine may lack:" >&2
  ldd /usr/bin/node >&2
fi

# Debian packages unpacked there with dpkg -x (the device notes' list for Vulkan and EGL).
DEBS="libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2"
mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/bundle.tar.xz "$OUT_DIR"/*.deb
tar -C "$STAGE" -cf - hearth-gpu | xz -T0 -6 > "$OUT_DIR/bundle.tar.xz"
(cd "$OUT_DIR" && { apt-get download $DEBS >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download $DEBS >/dev/null; }; })
cp bench/gpu/run-on-gpu.sh "$OUT_DIR/run-on-gpu.sh"
du -sh "$OUT_DIR"/*
total=$(du -sm "$OUT_DIR" | cut -f1)
if [ "$total" -ge 55 ]; then echo "error: $OUT_DIR is ${total} MiB; it must stay under 55 MiB" >&2; exit 1; fi
echo "ready: $OUT_DIR (${total} MiB)"
