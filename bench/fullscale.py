"""The full-scale export the benchmarks import, built once from ../shared/tools/fullscale_registry.py.

The tool rebuilds the registry from the 2020 kit, whose table repeats 64 fiche numbers with different
data: the generated XML then holds 80 fiches twice, with different content. A real export lists each
fiche once, and the importer refuses a fiche twice in one file; so the benchmarks read a copy with each
fiche's first occurrence only, named with an export date like the files France compétences publishes
(`export-fiches-rncp-v4-1-2026-11-30.xml`). Written once beside the generated files, then reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CQPHUB_SHARED", ROOT.parent / "shared"))
EXPORT_DATE = "2026-11-30"
HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n'


def ensure_export(out: Path, scale: float = 1.5) -> list[Path]:
    """The deduplicated, dated XML files (RNCP then RS), built when absent (`scale` 1.5: full size)."""
    generated = sorted(out.glob("export-fiches-*-v4-1-fullscale.xml"))
    if len(generated) < 2:
        tool = SHARED / "tools" / "fullscale_registry.py"
        if not tool.exists():
            sys.exit(f"{tool} not found: the benchmark needs ../shared (set CQPHUB_SHARED)")
        print(f"building the full-scale export in {out} (once, slow)…", flush=True)
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(tool), str(out), "--scale", str(scale), "--no-csv"], check=True)
        generated = sorted(out.glob("export-fiches-*-v4-1-fullscale.xml"))
    dated = out / "dated"
    dated.mkdir(exist_ok=True)
    paths = []
    for source in generated:
        target = dated / source.name.replace("fullscale", EXPORT_DATE)
        if not target.exists():
            dropped = _first_copies(source, target)
            print(f"{target.name}: written, {dropped} repeated fiches left out", flush=True)
        paths.append(target)
    return sorted(paths, key=lambda p: "rs" in p.name)


def _first_copies(source: Path, target: Path) -> int:
    seen: set[str] = set()
    dropped = 0
    partial = target.with_suffix(".part")
    with open(partial, "wb") as out:
        out.write(HEAD)
        for _event, elem in etree.iterparse(str(source), events=("end",), tag="FICHE", huge_tree=True):
            code = (elem.findtext("NUMERO_FICHE") or "").strip().upper()
            if code in seen:
                dropped += 1
            else:
                seen.add(code)
                out.write(etree.tostring(elem, encoding="UTF-8", with_tail=False) + b"\n")
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
        out.write(b"</FICHES>\n")
    partial.rename(target)
    return dropped
