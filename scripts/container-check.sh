#!/usr/bin/env bash
# Builds the Dockerfile's runtime stage with podman around a host-built release binary and checks
# /healthz inside the running container. What it cannot do here: pull images (the Rust builder
# stage needs one), so the base image is made with debootstrap and the binary comes from the host.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
bin="$target_dir/release/server"
site="target/site"
image="mmi:check"
name="mmi-check-$$"
[ -x "$bin" ] && [ -f "$site/pkg/mmi.wasm" ] || { echo "build first: make release" >&2; exit 1; }

for tool in podman runc debootstrap; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install podman runc debootstrap)" >&2; exit 1; }
done

if ! podman image exists debian:bookworm-slim; then
  rootfs="$(mktemp -d)"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian
  tar -C "$rootfs" -c . | podman import - debian:bookworm-slim
  rm -rf "$rootfs"
fi

context="$(mktemp -d)"
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$context"
}
trap cleanup EXIT
cp Dockerfile .dockerignore "$context/"
mkdir -p "$context/target/release"
cp "$bin" "$context/target/release/server"
cp -r "$site" "$context/target/site"

podman build --format docker --isolation=chroot --pull=never --build-arg ARTIFACTS=prebuilt --target runtime \
  -t "$image" "$context"
podman --runtime runc run -d --name "$name" \
  --ulimit nofile=10000:10000 --ulimit nproc=4096:4096 "$image"

for _ in $(seq 1 30); do
  if body="$(podman exec "$name" curl -fsS http://127.0.0.1:8080/healthz 2>/dev/null)"; then
    echo "healthz from the container: $body"
    podman exec "$name" id
    # The image's own HEALTHCHECK (docker format keeps it), run once by hand.
    podman healthcheck run "$name"
    echo "HEALTHCHECK passed"
    podman image ls "$image" --format '{{.Repository}}:{{.Tag}} {{.Size}}'
    exit 0
  fi
  sleep 1
done
echo "the container did not answer /healthz; its log:" >&2
podman logs "$name" >&2
exit 1
