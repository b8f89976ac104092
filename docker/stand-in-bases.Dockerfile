# Stand-ins for the two public base images, built on a Debian bookworm root file system imported into
# Docker (see build-without-hub.sh): for machines that reach Debian's packages and PyPI but not Docker Hub.
ARG DEBIAN_IMAGE=cqphub-debian:bookworm

# Certificate authorities this machine's outgoing HTTPS needs beyond Debian's (e.g. a proxy's), from
# build-without-hub.sh: trusted by the system store, npm and pip alike (the app's stage inherits them).
FROM ${DEBIAN_IMAGE} AS debian
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt

# node:20-bookworm-slim's role: node and npm (Debian's Node.js 18 runs export-contexts.mjs as well).
FROM debian AS node
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*

# python:3.11-slim-bookworm's role: `python` and `pip` first on PATH, installing outside Debian's own
# packages (a virtual environment in /usr/local/python, as the official image installs into /usr/local).
FROM debian AS python
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /usr/local/python
ENV PATH=/usr/local/python/bin:$PATH
