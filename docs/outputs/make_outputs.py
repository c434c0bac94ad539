"""Make the README images of gridmap's official outputs from the sample plan.

    .venv/bin/python docs/outputs/make_outputs.py

Writes into docs/outputs/: annex1.pdf (the A3 annex map itself), annex_map.png,
atlas.png (contents page and a grid page), word_annex.png (the .docx as LibreOffice
prints it, when ``soffice`` is installed) and webmap.png (headless Chromium with the
network blocked, a popup opened through the search box).  Needs poppler-utils and
chromium; LibreOffice (libreoffice-writer-nogui) only for the Word preview.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PLAN = REPO / "sample_layers" / "baoan_plan.gpkg"
OPTS = {"project": PLAN, "issuer": "宝安区新安街道办事处（示例）", "annex": "附件1"}


def _pages(pdf: Path, first: int, last: int, dpi: int, tmp: Path) -> list[Image.Image]:
    stem = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(pdf), str(stem)],
                   check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp.glob(f"{pdf.stem}-*.png"))]


def _side_by_side(images: list[Image.Image], gap: int = 16) -> Image.Image:
    h = max(i.height for i in images)
    out = Image.new("RGB", (sum(i.width for i in images) + gap * (len(images) + 1), h + 2 * gap), "#d0d0d0")
    x = gap
    for im in images:
        out.paste(im, (x, gap))
        x += im.width + gap
    return out


def _save(im: Image.Image, name: str) -> None:
    path = HERE / name
    im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(REPO)}: {im.width}×{im.height}, {path.stat().st_size // 1024} KB")


def main() -> int:
    from gridmap.core.outputs import write_output
    from gridmap.core.storage import open_plan

    plan = open_plan(PLAN)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        # annex map: the PDF itself and a preview
        annex = HERE / "annex1.pdf"
        write_output(plan, "pdf", annex, dict(OPTS, paper="A3", landscape=True, inset=True))
        _save(_pages(annex, 1, 1, 80, tmp)[0], "annex_map.png")

        # map book: contents and the first grid page
        book = tmp / "atlas.pdf"
        info = write_output(plan, "atlas", book, OPTS)
        first = info["contents_pages"]
        _save(_side_by_side(_pages(book, first, first + 1, 70, tmp)), "atlas.png")

        # Word annex, as LibreOffice prints it
        word = tmp / "annex.docx"
        write_output(plan, "docx", word, OPTS)
        soffice = shutil.which("soffice")
        if soffice:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", "pdf",
                            "--outdir", str(tmp), str(word)], check=True, capture_output=True, timeout=180)
            pages = _pages(tmp / "annex.pdf", 1, 2, 70, tmp)
            _save(_side_by_side(pages), "word_annex.png")   # the figure page and the table
        else:
            print("soffice not found: word_annex.png not made (apt-get install libreoffice-writer-nogui)")

        # XLSX annex tables, as LibreOffice prints them (the 网格划分表's first page)
        from gridmap.core.exchange.registry import export_plan

        book_x = tmp / "tables.xlsx"
        export_plan(plan, "xlsx", book_x)
        if soffice:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", "pdf",
                            "--outdir", str(tmp), str(book_x)], check=True, capture_output=True, timeout=180)
            _save(_pages(tmp / "tables.pdf", 1, 1, 55, tmp)[0], "xlsx_tables.png")

        # web map: offline Chromium, a popup opened with the search box
        html = tmp / "webmap.html"
        write_output(plan, "html", html, OPTS)
        small = plan.grids_of_level("small").sort_values("code").iloc[4]
        harness = tmp / "shot.html"
        script = ("<script>(function(){var i=document.querySelector('.gm-search input');i.value=%r;"
                  "i.dispatchEvent(new Event('input'));"
                  "i.dispatchEvent(new KeyboardEvent('keydown',{key:'Enter'}));})();</script>") % small["code"]
        harness.write_text(html.read_text(encoding="utf-8").replace("</html>", script + "</html>"),
                           encoding="utf-8")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            print("chromium not found: webmap.png not made (apt-get install chromium)")
            return 1
        shot = tmp / "webmap.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp}/chrome", "--proxy-server=127.0.0.1:9",
                        "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1400,900",
                        "--virtual-time-budget=5000", f"--screenshot={shot}", harness.as_uri()],
                       check=True, capture_output=True, timeout=180)
        _save(Image.open(shot).convert("RGB"), "webmap.png")
    total = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file())
    print(f"docs/outputs: {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
