#!/bin/sh
# Build the app's image on a machine that reaches Debian's packages, PyPI and npm but not Docker Hub:
# a minimal Debian bookworm made by debootstrap (Debian's default mirror) is imported as the base of two
# stand-ins for the public base images (stand-in-bases.Dockerfile), then Dockerfile is built on them.
# Needs root, debootstrap and a running Docker daemon. Usage: docker/build-without-hub.sh [TAG]
set -eu
tag=${1:-cqphub:latest}
here=$(cd "$(dirname "$0")" && pwd)
rootfs=$(mktemp -d)
context=$(mktemp -d)
trap 'rm -rf "$rootfs" "$context"' EXIT
# the stand-ins' build context: their Dockerfile and the local certificate authorities, if any
cp "$here/stand-in-bases.Dockerfile" "$context/Dockerfile"
mkdir "$context/ca"
cp /usr/local/share/ca-certificates/*.crt "$context/ca/" 2>/dev/null || true
debootstrap --variant=minbase bookworm "$rootfs"
tar -C "$rootfs" -c . | docker import - cqphub-debian:bookworm
# the host's network for RUN steps: no bridge needs to exist (dockerd may run with --bridge=none)
docker build --network host --target node -t cqphub-base:node "$context"
docker build --network host --target python -t cqphub-base:python "$context"
docker build --network host --build-arg NODE_IMAGE=cqphub-base:node \
  --build-arg PYTHON_IMAGE=cqphub-base:python -t "$tag" "$here/.."
