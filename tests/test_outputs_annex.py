"""Annex map (PDF/PNG/TIFF): real text in an embedded CJK font, every grid code on
the page, a scale that is right for the CRS, no label collisions, clear errors.

Read back with poppler (pdftotext, pdffonts, pdfinfo) and Pillow — no mocks.
"""

from __future__ import annotations

import doctest
import importlib
import math
import pkgutil
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridmap.core.outputs import OutputError, fonts
from gridmap.core.outputs.annex_map import annex_figure, save_annex_map
from gridmap.core.view.labels import LabelPlacer
from gridmap.core.outputs.tests_support import add_demo_roads
from gridmap.core.storage import save_plan


def _pdftext(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def _nospace(s: str) -> str:
    return "".join(s.split())


@pytest.fixture
def project(small_plan, tmp_path):
    add_demo_roads(small_plan, tmp_path)
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    return small_plan, path


def test_doctests_of_the_outputs_package():
    import gridmap.core.outputs as pkg

    failures = 0
    names = [pkg.__name__] + [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]
    for name in names:
        failures += doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS).failed
    assert failures == 0 and len(names) >= 15


def test_font_is_embeddable_truetype_and_cff_fonts_are_refused(tmp_path):
    font = fonts.find_cjk_font()
    assert fonts.is_embeddable_cjk(font.path)
    noto = [p for p in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",) if __import__("os").path.exists(p)]
    assert noto, "fonts-noto-cjk is part of the set-up; its CFF outlines must be refused"
    assert not fonts.is_embeddable_cjk(noto[0])
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    assert not fonts.is_embeddable_cjk(junk)


def test_annex_pdf_has_every_code_as_real_text_in_an_embedded_cjk_font(project, tmp_path):
    plan, path = project
    out = tmp_path / "annex1.pdf"
    info = save_annex_map(plan, out, {"project": path, "annex": "附件1", "issuer": "深圳市宝安区城市管理局",
                                      "date": "2024年3月5日", "subtitle": "（试行）"})
    text = _pdftext(out)
    flat = _nospace(text)
    for code in plan.grids["code"]:
        assert code in flat, code
    for word in ("附件1", "测试方案网格化管理划分示意图", "（试行）", "图例", "辖区界线", "大网格", "小网格",
                 "编制单位：深圳市宝安区城市管理局", "日期：2024年3月5日", "比例尺1:", "北", "第一网格", "西片"):
        assert _nospace(word) in flat, word
    assert info["unlabelled"] == [] and info["warnings"] == info["notices"]   # only a title-font notice
    assert f"1:{info['scale']:,}".replace(",", " ").replace(" ", "") in flat
    # road names of the base layer are labelled along the roads
    assert "中心大道" in flat or "中心大道" in _nospace(_pdftext(out).replace("\n", ""))
    fonts_out = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts_out.strip().splitlines()[2:]
    assert rows and all("CID TrueType" in r and " yes yes yes " in r for r in rows), fonts_out
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", pages) and "595.276 x 841.89 pts (A4)" in pages


def test_a3_landscape_page_size_and_png_render(project, tmp_path):
    plan, path = project
    out = tmp_path / "a3.pdf"
    save_annex_map(plan, out, {"project": path, "paper": "A3", "landscape": True, "inset": True})
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "1190.55 x 841.89 pts (A3)" in pages
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", str(out), str(tmp_path / "a3")], check=True)
    from PIL import Image

    with Image.open(tmp_path / "a3.png") as im:
        assert im.width > im.height
        colours = im.convert("RGB").getcolors(1_000_000)
    assert len(colours) > 50            # a drawn map, not a blank page


def test_png_at_300_dpi_and_tiff(project, tmp_path):
    from PIL import Image

    plan, path = project
    png = tmp_path / "annex.png"
    save_annex_map(plan, png, {"project": path})
    with Image.open(png) as im:
        assert abs(im.width - 210 / 25.4 * 300) <= 1 and abs(im.height - 297 / 25.4 * 300) <= 1
        assert round(im.info["dpi"][0]) == 300
    tif = tmp_path / "annex.tif"
    save_annex_map(plan, tif, {"project": path, "dpi": 120, "landscape": True}, fmt="tiff")
    with Image.open(tif) as im:
        assert im.format == "TIFF" and im.mode == "RGB"
        assert abs(im.width - 297 / 25.4 * 120) <= 1 and abs(im.height - 210 / 25.4 * 120) <= 1
        assert round(float(im.info["dpi"][0])) == 120


def test_printed_scale_matches_the_map_in_a_gauss_kruger_and_a_web_mercator_plan(small_plan):
    # CGCS2000 3° GK zone on its central meridian: one map metre is one ground metre
    fig, info = annex_figure(small_plan, {"base_layers": False})
    x0, _, x1, _ = info["extent"]
    assert abs(info["k"] - 1.0) < 1e-4
    assert math.isclose((x1 - x0) / info["k"] / (info["map_mm"][0] / 1000), info["scale"], rel_tol=1e-9)
    # the same plan in Web Mercator (EPSG:3857) at 22.6°N: map units are stretched by ~1/cos(lat)
    merc = small_plan.copy()
    merc.crs = __import__("pyproj").CRS.from_epsg(3857)
    merc.grids = small_plan.grids.to_crs(3857)
    from gridmap.core.crs import to_crs

    merc.jurisdiction = to_crs(small_plan.jurisdiction, small_plan.crs, "EPSG:3857")
    merc.segments = small_plan.segments.to_crs(3857)
    merc.places = small_plan.places.to_crs(3857)
    fig2, info2 = annex_figure(merc, {"base_layers": False})
    assert 1.07 < info2["k"] < 1.10
    assert info2["scale"] == info["scale"]      # the same ground size needs the same printed scale
    w2 = info2["extent"][2] - info2["extent"][0]
    assert math.isclose(w2 / info2["k"] / (info2["map_mm"][0] / 1000), info2["scale"], rel_tol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 90), st.floats(0, 90), st.integers(1, 12), st.floats(4, 12)),
                min_size=1, max_size=40))
def test_placed_labels_never_overlap_or_leave_the_extent(items):
    from shapely import box

    placer = LabelPlacer((0, 0, 100, 100), m_per_pt=0.5, measure=lambda t, s: (len(t) * s * 0.55, s * 1.2))
    for i, (x, y, n, size) in enumerate(items):
        placer.place_in_polygon(i, box(x, y, x + 10, y + 10), ["X" * n, "X"], [size, size * 0.7])
    assert not placer.overlaps()
    for p in placer.placed:
        assert p.box[0] >= 0 and p.box[1] >= 0 and p.box[2] <= 100 and p.box[3] <= 100


def test_dense_plan_still_prints_every_code(small_plan, tmp_path):
    """A4 page of a plan whose grids are far too small for their codes: every code is on
    the page (as a label, with a leader line, or in the note of unlabelled codes)."""
    from shapely import box

    from gridmap.core.plan import Plan

    plan = Plan.new("密集方案", crs="EPSG:4547", admin_code="440306", levels="two", scheme="GB15")
    x0, y0 = 500_000.0, 2_500_000.0
    plan.set_jurisdiction(box(x0, y0, x0 + 2000, y0 + 2000))
    big = plan.add_grid(box(x0, y0, x0 + 2000, y0 + 2000), "large", name="大片")
    for i in range(10):
        for j in range(10):
            plan.add_grid(box(x0 + 200 * i, y0 + 200 * j, x0 + 200 * (i + 1), y0 + 200 * (j + 1)), "small",
                          parent=big, name=f"格{i}{j}")
    plan.auto_number()
    out = tmp_path / "dense.pdf"
    save_annex_map(plan, out, {"base_layers": False})
    flat = _nospace(_pdftext(out))
    missing = [c for c in plan.grids["code"] if c not in flat]
    assert missing == []


def test_bad_options_and_paths_are_clear_errors(small_plan, tmp_path):
    with pytest.raises(OutputError, match="paper 'B5' is not one of A4, A3"):
        save_annex_map(small_plan, tmp_path / "x.pdf", {"paper": "B5"})
    with pytest.raises(OutputError, match="folder .* does not exist"):
        save_annex_map(small_plan, tmp_path / "nope" / "x.pdf", {})
    with pytest.raises(OutputError, match=r"\.svg|'svg'"):
        save_annex_map(small_plan, tmp_path / "x.svg", {})
    with pytest.raises(OutputError, match="dpi"):
        save_annex_map(small_plan, tmp_path / "x.png", {"dpi": "many"})


def test_missing_base_layer_file_is_a_warning_not_a_failure(small_plan, tmp_path):
    small_plan.add_base_layer("影像", "gone.gpkg", kind="vector", layer="x")
    small_plan.add_base_layer("在线底图", "https://tiles.example/{z}/{x}/{y}.png", kind="tiles")
    path = tmp_path / "p.gpkg"
    save_plan(small_plan, path)
    info = save_annex_map(small_plan, tmp_path / "a.pdf", {"project": path})
    assert any("gone.gpkg" in w and "not found" in w for w in info["warnings"])
    assert any("tiles" in w for w in info["warnings"])


def test_cli_module_writes_pdf_without_importing_qt(project, tmp_path):
    plan, path = project
    out = tmp_path / "cli.pdf"
    code = ("import sys, runpy; sys.argv = ['outputs', %r, '--format', 'pdf', '--paper', 'a3', '--landscape', "
            "'--title', 'CLI 标题', '-o', %r]\n"
            "from gridmap.commands.outputs import main\n"
            "rc = main(sys.argv[1:])\n"
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt imported'\n"
            "sys.exit(rc)") % (str(path), str(out))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "CLI标题" in _nospace(_pdftext(out))
    bad = subprocess.run([sys.executable, "-m", "gridmap.commands.outputs", str(path), "--format", "atlas",
                          "-o", str(tmp_path / "book.docx")], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "book.docx" in bad.stderr


def test_formats_and_output_arguments_fit_an_existing_parser():
    import argparse

    from gridmap.commands.outputs import (
        FORMATS,
        add_output_arguments,
        options_from_args,
    )

    assert set(FORMATS) == {"pdf", "png", "tiff", "atlas", "docx", "html"}
    p = argparse.ArgumentParser()
    p.add_argument("--title", default="kept")          # an option the host parser already has
    add_output_arguments(p)
    args = p.parse_args(["--paper", "a3", "--landscape", "--dpi", "150", "--issuer", "某局"])
    assert (args.paper, args.landscape, args.dpi, args.title) == ("A3", True, 150, "kept")
    assert options_from_args(args)["issuer"] == "某局"
