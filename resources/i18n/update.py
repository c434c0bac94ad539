"""Refresh the translation files: ``python resources/i18n/update.py``.

1. ``pyside6-lupdate`` collects the ``tr()`` strings of gridmap/ui into ``gridmap_zh_CN.ts``
   (existing translations are kept);
2. messages still unfinished are filled from ``zh_CN_seed.py`` where it has them;
3. ``pyside6-lrelease`` compiles ``gridmap_zh_CN.qm``.
Prints the messages that are still untranslated (exit 1 if any).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TS = HERE / "gridmap_zh_CN.ts"
QM = HERE / "gridmap_zh_CN.qm"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    ui = REPO / "gridmap" / "ui"
    return [str(p) for p in sorted(ui.rglob("*.py"))]


def fill(ts: Path = TS) -> list[str]:
    sys.path.insert(0, str(HERE))
    from zh_CN_seed import ZH

    tree = ET.parse(ts)
    missing = []
    for msg in tree.iter("message"):
        src = msg.findtext("source") or ""
        tr = msg.find("translation")
        if tr is None:
            continue
        if tr.get("type") == "obsolete" or tr.get("type") == "vanished":
            continue
        if tr.get("type") != "unfinished":
            continue
        zh = ZH.get(src)
        if zh is None:
            missing.append(src)
            continue
        if msg.get("numerus") == "yes":
            for child in list(tr):
                tr.remove(child)
            nf = ET.SubElement(tr, "numerusform")
            nf.text = zh
        else:
            tr.text = zh
        del tr.attrib["type"]
    ET.indent(tree, space="    ")
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


def main() -> int:
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources(), "-no-obsolete", "-ts", str(TS),
                    "-target-language", "zh_CN"], check=True)
    missing = fill()
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True)
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
