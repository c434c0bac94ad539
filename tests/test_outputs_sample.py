"""Every output of the sample plan (a real town: OSM streets of Bao'an, Shenzhen),
read back: annex PDF/PNG, map book, Word annex."""

from __future__ import annotations

import re
import subprocess

import docx
import pytest

from gridmap.core.outputs import write_output
from gridmap.core.storage import open_plan


def _text(path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext"] + (["-f", str(first), "-l", str(last)] if first else []) + [str(path), "-"]
    return "".join(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split())


@pytest.fixture(scope="module")
def sample(sample_plan_path):
    assert sample_plan_path.exists(), f"{sample_plan_path} is missing: run tools/make_sample.py"
    return open_plan(sample_plan_path), sample_plan_path


def test_sample_annex_map_pdf_and_png(sample, tmp_path):
    plan, path = sample
    opts = {"project": path, "paper": "A3", "landscape": True, "annex": "附件1", "issuer": "宝安区新安街道办事处"}
    info = write_output(plan, "pdf", tmp_path / "annex1.pdf", opts)
    assert info["warnings"] == info["notices"] and info["unlabelled"] == []
    text = _text(tmp_path / "annex1.pdf")
    for code in plan.grids["code"]:
        assert code in text, code
    # a name is left off only where the grid is too small for "code + name" at the smallest size
    named = [n for n in plan.grids["name"] if "".join(n.split()) in text]
    assert len(named) >= 0.8 * len(plan.grids), len(named)
    assert "数据来源" in text and "OpenStreetMap" in text and "示例数据" in text      # credits, disclaimer
    assert "主干路" in text and "宝安区新安街道办事处" in text      # road classes in the legend
    fonts = subprocess.run(["pdffonts", str(tmp_path / "annex1.pdf")], capture_output=True, text=True).stdout
    assert "CID TrueType" in fonts and "Type 3" not in fonts
    png = write_output(plan, "png", tmp_path / "annex1.png", dict(opts, dpi=72))
    assert png["scale"] == info["scale"]
    from PIL import Image

    with Image.open(tmp_path / "annex1.png") as im:
        assert im.size[0] > im.size[1] > 500


def test_sample_map_book_per_large_grid(sample, tmp_path):
    plan, path = sample
    info = write_output(plan, "atlas", tmp_path / "book.pdf", {"project": path, "level": "large"})
    large = plan.grids_of_level("large")
    assert info["pages"] == info["contents_pages"] + len(large)
    for n, gid in enumerate(info["grids"], start=info["contents_pages"] + 1):
        page = _text(tmp_path / "book.pdf", n, n)
        assert plan.grids.at[gid, "code"] in page and "四至" in page
        # the sample's large grids are bounded by real, named OSM streets
        assert re.search(r"[东南西北]至[^；]*?路", page), page[:200]


def test_sample_word_annex(sample, tmp_path):
    plan, path = sample
    info = write_output(plan, "docx", tmp_path / "annex.docx", {"project": path})
    doc = docx.Document(str(tmp_path / "annex.docx"))
    small = plan.grids_of_level("small")
    table = doc.tables[0]
    assert len(table.rows) == len(small) + 1 == info["rows"] + 1
    assert sorted(r.cells[2].text.split("\n")[0] for r in table.rows[1:]) == sorted(small["code"])
    assert len(doc.inline_shapes) == 1
