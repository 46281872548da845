#!/usr/bin/env bash
# Downloads (never installs) the Debian packages of the WebGPU test rig into .cache/webgpu-rig/debs:
# Mesa 25's software Vulkan driver and the libdrm it needs from bookworm-backports, and the Vulkan
# headers for the rig's small layer. test/browser/webgpu-rig/rig.ts unpacks them privately, so the
# system's Mesa, and what every other Chromium test sees, stays as it is. Needs root (apt-get update).
set -euo pipefail
cd "$(dirname "$0")/../../.."
DEST=.cache/webgpu-rig/debs

if ls "$DEST"/mesa-vulkan-drivers_25.*.deb "$DEST"/libdrm2_*.deb "$DEST"/libdrm-amdgpu1_*.deb "$DEST"/libvulkan-dev_*.deb >/dev/null 2>&1; then
  echo "WebGPU rig packages already in $DEST"
  exit 0
fi
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/bookworm-backports.sources <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  apt-get update
elif ! apt-cache show mesa-vulkan-drivers/bookworm-backports >/dev/null 2>&1; then
  apt-get update
fi
# lavapipe's runtime libraries that are not unpacked privately (Chromium usually brings most of them).
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  libllvm15 libelf1 libexpat1 libwayland-client0 libx11-xcb1 libxcb-dri3-0 libxcb-present0 libxcb-randr0 \
  libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxshmfence1 libzstd1 gcc libc6-dev
mkdir -p "$DEST"
cd "$DEST"
# apt's sandbox user cannot write here; downloading as root is what we mean.
apt-get download -o APT::Sandbox::User=root \
  mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports libvulkan-dev
