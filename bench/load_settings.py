"""Settings for bench/load.py: the platform's own, plus a trivial view to measure the baseline.

Static files are collected with a plain manifest (no gzip/brotli copies, which take minutes to write and
play no part in the pages measured) into the benchmark's own folder.
"""

from pathlib import Path

from cqphub.settings import *  # noqa: F403
from cqphub.settings import STORAGES

ROOT_URLCONF = "bench.load_urls"
STATIC_ROOT = Path(__file__).resolve().parent / "out" / "static"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# The workers say when they have built a new search snapshot (`--during-import` notes when).
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "cqphub.registry.search.index": {"level": "INFO"}}}  # noqa: F405
