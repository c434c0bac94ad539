"""Issue 14 proof: the printable tables, measured as they print.

The sample's XLSX annex tables and Word annex are rendered by LibreOffice
(headless) to PDF and every page is measured with pdfplumber: smallest font,
the table inside the paper, page numbers, every grid code present.  The
workbook settings themselves are read back with openpyxl (fixed zoom that
keeps 10.5 pt text ≥ 9 pt, repeated header rows, a page-number footer, row
heights on every data row)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from gridmap.core.exchange.registry import export_plan
from gridmap.core.exchange.tables import CELL_PT, MIN_PRINT_PT, UNIT_MM
from gridmap.core.outputs import write_output
from gridmap.core.storage import open_plan

pdfplumber = pytest.importorskip("pdfplumber")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PAPER_MM = {9: (297, 210), 8: (420, 297)}      # openpyxl paperSize → landscape (w, h)


@pytest.fixture(scope="module")
def sample(sample_plan_path):
    return open_plan(sample_plan_path), sample_plan_path


def _to_pdf(path, tmp_path):
    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=300)
    return tmp_path / (path.stem + ".pdf")


def test_xlsx_print_setup(sample, tmp_path):
    plan, path = sample
    out = tmp_path / "tables.xlsx"
    export_plan(plan, "xlsx", out)
    wb = load_workbook(out)
    for ws in wb:
        ps = ws.page_setup
        assert ps.orientation == "landscape" and int(ps.paperSize) in PAPER_MM, ws.title
        zoom = int(ps.scale)
        assert CELL_PT * zoom / 100 >= MIN_PRINT_PT, (ws.title, zoom)
        assert not ws.sheet_properties.pageSetUpPr.fitToPage     # fixed zoom: the text size is certain
        width_mm = sum(ws.column_dimensions[c].width for c in ws.column_dimensions) * UNIT_MM * zoom / 100
        paper_w = PAPER_MM[int(ps.paperSize)][0]
        assert width_mm <= paper_w - 25.4 * (ws.page_margins.left + ws.page_margins.right), ws.title
        assert "&P" in ws.oddFooter.center.text
        assert ws.print_title_rows
        for row in range(3, ws.max_row + 1):
            assert ws.row_dimensions[row].height, (ws.title, row)
            assert ws.cell(row, 1).font.size >= CELL_PT
    assert wb["网格划分表"].page_setup.paperSize is not None


def test_xlsx_prints_at_9pt_inside_the_paper(sample, tmp_path):
    plan, path = sample
    out = tmp_path / "tables.xlsx"
    export_plan(plan, "xlsx", out)
    pdf = _to_pdf(out, tmp_path)
    codes = set(plan.grids_of_level("small")["code"])
    seen = set()
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) < 40
        for n, page in enumerate(doc.pages, start=1):
            sizes = [c["size"] for c in page.chars]
            assert min(sizes) >= MIN_PRINT_PT - 0.05, (n, min(sizes))
            xs = [e["x0"] for e in page.edges if e["orientation"] == "v"]
            if xs:        # the table's frame stays 10 mm inside the paper on both sides
                assert min(xs) >= 28 and max(xs) <= page.width - 28, (n, min(xs), max(xs))
            text = page.extract_text() or ""
            assert f"— {n} —" in text.replace("—  ", "— ").replace("  —", " —") or f"— {n}" in text, n
            seen |= {c for c in codes if c in text}
    assert seen == codes


def test_xlsx_division_table_is_dense_and_nothing_overflows_its_cell(sample, tmp_path):
    """The 网格划分表 shares the paper's width by how much text each column holds and sizes each row to its
    wrapped text: on the sample it prints in at most 7 A3 pages (was 14, two rows a page), and no character
    crosses a cell's top or bottom border (a row too low for its text is cut off at both ends)."""
    from gridmap.core.exchange.tables import build_tables, write_xlsx

    plan, path = sample
    out = tmp_path / "division.xlsx"
    tables = build_tables(plan, ["division"], project=path)
    write_xlsx(tables, out, plan.name)
    pdf = _to_pdf(out, tmp_path)
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) <= 7, len(doc.pages)
        crossing = []
        for n, page in enumerate(doc.pages, start=1):
            rules = [e for e in page.edges if e["orientation"] == "h"]
            for c in page.chars:
                if c["size"] > 12:           # the title
                    continue
                x = (c["x0"] + c["x1"]) / 2
                for e in rules:
                    if e["x0"] <= x <= e["x1"] and c["top"] + 1.0 < e["top"] < c["bottom"] - 1.0:
                        crossing.append((n, c["text"], round(c["top"])))
                        break
        assert not crossing, crossing[:10]


def test_docx_renders_to_gbt9704_pages(sample, tmp_path):
    plan, path = sample
    out = tmp_path / "annex.docx"
    write_output(plan, "docx", out, {"project": path, "annex": "附件1"})
    pdf = _to_pdf(out, tmp_path)
    codes = set(plan.grids_of_level("small")["code"])
    roles = plan.roles[plan.roles["person"].notna()]
    phones = set(plan.people.loc[roles["person"].astype(int).unique(), "phone"].astype(str)) - {""}
    seen, whole = set(), set()
    with pdfplumber.open(pdf) as doc:
        n_pages = len(doc.pages)
        # 31 grids: the figure's page and 4–5 rows a page on the landscape 版心 (one 责任人 column, a
        # line per role, shared units in a note): 9 pages with LibreOffice's fallback fonts (was 15)
        assert n_pages <= 9, n_pages
        first = doc.pages[0]
        # the figure, its note and nothing else on page 1; the table starts on page 2
        assert "注：坐标系" in (first.extract_text() or "")
        assert (doc.pages[1].extract_text() or "").startswith("二、网格化管理划分表")
        label = [c for c in first.chars if c["text"] == "附"][0]
        assert abs(label["top"] * 25.4 / 72 - 37) < 3 and abs(label["x0"] * 25.4 / 72 - 28) < 2
        for n, page in enumerate(doc.pages, start=1):
            text = page.extract_text() or ""
            assert f"— {n} —" in text, (n, text[-40:])
            table_chars = [c for c in page.chars if c["size"] < 12]
            if n > 1:
                assert min(c["size"] for c in table_chars) >= 10.4, n        # 五号
            seen |= {c for c in codes if c in text}
            words = [w["text"] for w in page.extract_words()]
            whole |= {ph for ph in phones if any(ph in w for w in words)}      # never broken over lines
            # the text stays inside the 版心 (landscape: left 37, right 35 mm; 1 mm tolerance)
            if page.width > page.height:
                assert min(c["x0"] for c in page.chars) * 25.4 / 72 >= 37 - 1
                assert max(c["x1"] for c in page.chars) * 25.4 / 72 <= 297 - 35 + 1
    assert seen == codes
    assert phones and whole == phones, sorted(phones - whole)


def test_map_book_one_scale_footer_and_duties(sample, tmp_path):
    """Map book: one scale on every page (or a page's own, marked), every page
    with CRS, sources and the issuer at ≥ 6 pt, duties one line per person."""
    plan, path = sample
    out = tmp_path / "book.pdf"
    info = write_output(plan, "atlas", out, {"project": path, "issuer": "某区城市管理局"})
    common = info["common_scale"]
    assert common and all(n == common or n > common for n in info["scales"].values())
    marked = {g for g, n in info["scales"].items() if n != common}
    assert len(marked) <= 0.2 * len(info["scales"]) + 1
    with pdfplumber.open(out) as doc:
        for n, page in enumerate(doc.pages, start=1):
            text = page.extract_text() or ""
            assert min(c["size"] for c in page.chars) >= 6.0 - 0.05, n
            assert "2000国家大地坐标系" in text and "数据来源" in text and "编制单位：某区城市管理局" in text, n
            assert "commit" not in text and "github" not in text.lower()
            if n > info["contents_pages"]:
                assert "比例尺 1:" in text
                assert "职责分工" in text and "·" in text        # one line per person


def test_web_map_scale_legend_and_credits(sample, tmp_path):
    """Web map: a metric-only scale bar (bottom left, above the title, clear of the
    credits), a legend of every drawn layer, sources without repository names."""
    import re

    plan, path = sample
    out = tmp_path / "map.html"
    write_output(plan, "html", out, {"project": path})
    html = out.read_text(encoding="utf-8")
    assert "imperial: false" in html and "metric: true" in html and "position: 'bottomleft'" in html
    import json

    legend = " ".join(json.loads(x) for x in re.findall(r'd\.innerHTML = ("(?:[^"\\]|\\.)*")', html))
    for name in ("辖区界线", "责任路段", "小区/场所", "主干路", "支路"):
        assert name in legend, name
    for name in plan.grids_of_level("large")["name"]:
        assert name in legend, name
    credits = [json.loads(x) for x in re.findall(r'addAttribution\(("(?:[^"\\]|\\.)*")\);', html)]
    assert credits and not any(re.search(r"[0-9a-f]{7}\b|/[A-Za-z0-9_-]+\b", c) for c in credits), credits


# ---------------------------------------------------------------------- annex maps, measured as printed
PAGES = [("A4", False), ("A4", True), ("A3", False), ("A3", True)]
MM = 25.4 / 72


def _flat(page):
    """The page with only its upright text (road names along the roads are turned)."""
    return page.filter(lambda o: o.get("object_type") != "char"
                       or (abs(o["matrix"][1]) < 1e-6 and abs(o["matrix"][2]) < 1e-6))


@pytest.mark.parametrize("paper,landscape", PAGES, ids=[f"{p}-{'landscape' if l else 'portrait'}" for p, l in PAGES])
def test_annex_map_pdf_inside_the_gbt9704_page(sample, tmp_path, paper, landscape):
    """A4 and A3, portrait and landscape: every text and the map frame inside the
    版心 (GB/T 9704 margins, turned on a landscape page), 附件 label 16 pt at its
    top left, no text under 6 pt, no two labels overlapping, every grid's code
    and name on the page."""
    import itertools

    from gridmap.core.outputs.layout import Page

    plan, path = sample
    out = tmp_path / f"annex-{paper}-{landscape}.pdf"
    info = write_output(plan, "pdf", out, {"project": path, "paper": paper, "landscape": landscape,
                                           "annex": "附件1", "issuer": "某区城市管理局"})
    assert info["unlabelled"] == [] and min(info["label_sizes"]) >= 6.0
    page_spec = Page(paper, landscape)
    c = page_spec.content                      # mm from the lower left
    w_mm, h_mm = page_spec.size_mm
    left, right, top, bottom = c.x, c.right, h_mm - c.top, h_mm - c.y      # from the top left
    with pdfplumber.open(out) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        assert abs(page.width * MM - w_mm) < 0.5 and abs(page.height * MM - h_mm) < 0.5
        chars = page.chars
        assert min(ch["size"] for ch in chars) >= 6.0 - 0.05
        for ch in chars:
            assert ch["x0"] * MM >= left - 1 and ch["x1"] * MM <= right + 1, ch["text"]
            assert ch["top"] * MM >= top - 1 and ch["bottom"] * MM <= bottom + 1, ch["text"]
        label = chars[[ch["text"] for ch in chars].index("附")]
        assert abs(label["size"] - 16) < 0.1 and abs(label["x0"] * MM - left) < 1 and abs(label["top"] * MM - top) < 3
        assert any(abs(ch["size"] - 22) < 0.1 for ch in chars)                  # the title: 2号
        frames = [r for r in page.rects if r["stroke"] and (r["x1"] - r["x0"]) * MM > 50]
        assert frames
        for r in frames:                       # the map frame (图廓) and the panels
            assert r["x0"] * MM >= left - 1 and r["x1"] * MM <= right + 1
            assert r["top"] * MM >= top - 1 and r["bottom"] * MM <= bottom + 1
        words = _flat(page).extract_words(use_text_flow=True, x_tolerance=1.5)
        for a, b in itertools.combinations(words, 2):
            ix = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            iy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert not (ix > 0.5 and iy > 0.5), (a["text"], b["text"])
        stream = "".join(ch["text"] for ch in chars)
    keyed = {code for _, code, _ in info["numbered"]} | {name for _, _, name in info["numbered"]}
    for code, name in zip(plan.grids["code"], plan.grids["name"]):
        assert code in stream or code in keyed, code
        assert name in stream or name in keyed, name


@pytest.mark.parametrize("paper,landscape,fmt,dpi", [("A4", False, "png", 100), ("A3", True, "png", 100),
                                                     ("A3", False, "tiff", 72)])
def test_annex_map_raster_at_its_dpi(sample, tmp_path, paper, landscape, fmt, dpi):
    """PNG/TIFF: the page's size at the dpi asked for (and said in the file), the same
    map as the PDF (scale, labels, no code left out), all ink inside the 版心."""
    import numpy as np
    from PIL import Image

    from gridmap.core.outputs.layout import Page

    plan, path = sample
    opts = {"project": path, "paper": paper, "landscape": landscape, "annex": "附件1", "dpi": dpi}
    pdf = write_output(plan, "pdf", tmp_path / "a.pdf", opts)
    info = write_output(plan, fmt, tmp_path / f"a.{fmt}", opts)
    assert info["scale"] == pdf["scale"] and info["labelled"] == pdf["labelled"] and info["unlabelled"] == []
    assert min(info["label_sizes"]) >= 6.0                     # ≥ 6 pt: ≥ dpi / 12 pixels tall
    spec = Page(paper, landscape)
    w_mm, h_mm = spec.size_mm
    with Image.open(tmp_path / f"a.{fmt}") as im:
        assert abs(im.size[0] - w_mm / 25.4 * dpi) <= 1 and abs(im.size[1] - h_mm / 25.4 * dpi) <= 1
        assert round(float(im.info["dpi"][0])) == dpi
        ink = np.asarray(im.convert("L")) < 250
    ys, xs = np.nonzero(ink)
    px_mm = 25.4 / dpi
    c = spec.content
    assert xs.min() * px_mm >= c.x - 1.5 and (xs.max() + 1) * px_mm <= c.right + 1.5
    assert ys.min() * px_mm >= (h_mm - c.top) - 1.5 and (ys.max() + 1) * px_mm <= (h_mm - c.y) + 1.5
