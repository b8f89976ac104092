# cqphub: one image for the web process and the task worker (see DEPLOY.md and compose.yaml).

# The base images are build arguments so that a machine without access to the public registry can
# build from local stand-ins (DEPLOY.md, "Building without Docker Hub"); the defaults are the usual ones.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# The JSON-LD contexts the credentials sign with, from their pinned npm packages (`make node` outside
# containers): cqphub/credentials/contexts.py checks each one against its SHA-256 when it reads them.
FROM ${NODE_IMAGE} AS contexts
WORKDIR /node
COPY cqphub/credentials/node/package.json cqphub/credentials/node/package-lock.json \
     cqphub/credentials/node/export-contexts.mjs ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error && node export-contexts.mjs

FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CQPHUB_VAR_DIR=/var/lib/cqphub \
    CQPHUB_CONTEXTS_FILE=/usr/local/share/cqphub/contexts.json \
    DEBUG=0

# WeasyPrint (PDF booklets and parchments) needs Pango; pg_dump backs up PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*

COPY --from=contexts /node/build/contexts.json /usr/local/share/cqphub/contexts.json
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin cqphub
WORKDIR /app
COPY pyproject.toml README.md ./
COPY cqphub ./cqphub
RUN pip install . \
 && mkdir -p /var/lib/cqphub/media /var/lib/cqphub/static \
 && chown -R cqphub:cqphub /var/lib/cqphub

# Build-time only: collectstatic and the translation catalogues need settings, not secrets.
RUN SECRET_KEY=build-only-not-used-at-runtime DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    cqphub compiletranslations -v 0 \
 && SECRET_KEY=build-only-not-used-at-runtime DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    cqphub collectstatic --noinput -v 0 \
 && rm -f /tmp/build.sqlite3 && chown -R cqphub:cqphub /var/lib/cqphub

USER cqphub
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "cqphub.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "2", "--timeout", "60"]
