"""Every file of the bad-file corpus through import --inspect, import -o and check: the exit code, no
traceback, and the message — one line, in Chinese and English (LANG decides which comes first)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "badfiles"))
from make_badfiles import make  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
OK = None   # exit 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bad")
    return out, make(out)


def _run(*args, cwd, lang="C.UTF-8"):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": lang}
    return subprocess.run([sys.executable, "-m", "gridmap", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def test_corpus_has_40_files(corpus):
    assert len(corpus[1]) >= 40


# file → (import --inspect, import --as-plan -o, check): the English words the refusal (exit 2) must
# contain, or OK (exit 0).  Every refusal is also checked for its Chinese half.
UNREADABLE = "not a readable GIS file"
EXPECT = {
    "bad_file_code.shp": ("bad file code",) * 3,
    "body_truncated.shp": ("--repair to keep those",) * 3,
    "cut_chinese_fields.shp": (OK, "no field 'code'", OK),
    "dbf_garbage.shp": ("does not belong to this .shp",) * 3,
    "dbf_mismatch.shp": ("has 3 shapes but dbf_mismatch.dbf has 5 records",) * 3,
    "empty.csv": ("cannot read the file", "cannot read the file", UNREADABLE),
    "empty.dxf": ("cannot read the file", "not a readable DXF drawing", UNREADABLE),
    "empty.geojson": (UNREADABLE,) * 3,
    "empty.gpkg": (UNREADABLE,) * 3,
    "empty.shp": ("shorter than the 100-byte shapefile header",) * 3,
    "empty.zip": ("contains no shapefile",) * 2 + (UNREADABLE,),
    "empty_folder": (UNREADABLE,) * 3,
    "format_not_number.gpkg": ("is not a number",) * 3,
    "garbage.csv": ("give --encoding", "give --encoding", "no polygon layer"),
    "garbage.dxf": ("cannot read the file", "not a readable DXF drawing", UNREADABLE),
    "garbage.geojson": (UNREADABLE,) * 3,
    "garbage.gpkg": (UNREADABLE,) * 3,
    "garbage.kml": (UNREADABLE,) * 3,
    "garbage.shp": ("not a shapefile",) * 3,
    "garbage.xlsx": ("not a readable XLSX workbook",) * 2 + (UNREADABLE,),
    "garbage.zip": ("not a readable zip archive",) * 2 + (UNREADABLE,),
    "garbage_crs_plan.gpkg": (OK, OK, "is not understood"),
    "garbage_prj.shp": ("not a CRS definition PROJ can read",) * 3,
    "half_shapefile.zip": ("half_shapefile.zip!grids.shp: ",) * 2 + (UNREADABLE,),
    "header_truncated.shp": ("shorter than the 100-byte shapefile header",) * 3,
    "lines_only.geojson": (OK, "no field 'code'", "has no polygons"),
    "lying_cpg.shp": (OK, "--encoding gbk", OK),
    "nan_coords.shp": ("NaN (not-a-number) coordinates",) * 3,
    "newer_format.gpkg": ("written by a newer gridmap",) * 3,
    "no_crs_plan.gpkg": (OK, "are not longitude/latitude degrees", "has no coordinate reference system"),
    "no_dbf.shp": ("the attribute file no_dbf.dbf is missing",) * 3,
    "no_features.geojson": (OK, "no field 'code'", "has no features"),
    "no_grids_plan.gpkg": (OK, "choose one with --layer", "has no features"),
    "no_levels_plan.gpkg": (OK, OK, "project file is damaged"),
    "no_prj_projected.shp": (OK, "declare it with --crs", "give the CRS with gridmap import --crs"),
    "no_shapefile.zip": ("contains no shapefile",) * 2 + (UNREADABLE,),
    "no_shx.shp": ("--repair) to rebuild it from the .shp",) * 3,
    "null_geometry.geojson": (OK, "have no geometry", "has no polygons"),
    "other_application.gpkg": (OK, OK, "not a gridmap project"),
    "points_only.shp": (OK, "grids must be polygons", "has no polygons"),
    "shx_garbage.shp": ("does not belong to this .shp",) * 3,
    "string_coords.geojson": (OK, "have no geometry", "has no polygons"),
    "text.gpkg": (UNREADABLE,) * 3,
    "truncated.dxf": ("cannot read the file", "not a readable DXF drawing", UNREADABLE),
    "truncated.geojson": (UNREADABLE,) * 3,
    "truncated.kml": (UNREADABLE,) * 3,
    "truncated_plan.gpkg": (UNREADABLE,) * 3,
    "unknown.xyz": (UNREADABLE,) * 3,
    "zero_features.shp": (OK, "the layer is empty", "has no features"),
    "zip_slip.zip": ("unsafe zip entry",) * 2 + (UNREADABLE,),
}


def _commands(folder, name):
    return (["import", name, "--inspect"],
            ["import", name, "--as-plan", "--code-field", "code", "-o", str(folder / f"out_{name}.gpkg")],
            ["check", name])


def _problems(name, args, r, expected) -> list:
    text = r.stdout + r.stderr
    out = []
    if "Traceback" in text:
        out.append("traceback")
    if expected is OK:
        if r.returncode != 0:
            out.append(f"exit {r.returncode}, expected 0")
        for line in r.stdout.splitlines():      # notes are bilingual too
            if "note:" in line.lower() and not CJK.search(line):
                out.append(f"English-only note {line!r}")
        return out
    lines = r.stderr.strip().splitlines()
    if r.returncode != 2:
        out.append(f"exit {r.returncode}, expected 2")
    if len(lines) != 1:
        out.append(f"{len(lines)} lines on stderr, expected one")
    msg = lines[-1] if lines else ""
    if expected not in msg:
        out.append(f"message lacks {expected!r}")
    if not (CJK.search(msg) and " / " in msg):
        out.append("message not in Chinese and English")
    if re.search(r"/opt/|/tmp/|buildtrees|It might help", msg):
        out.append("message leaks a build/temp path or GDAL's driver advice")
    return out


def test_every_bad_file_has_exit_code_no_traceback_and_a_bilingual_message(corpus):
    folder, made = corpus
    assert set(made) == set(EXPECT), "every file of the corpus has its expected messages here"
    failures = []
    for name in sorted(made):
        for args, expected in zip(_commands(folder, name), EXPECT[name]):
            r = _run(*args, cwd=folder)
            for problem in _problems(name, args, r, expected):
                failures.append((name, " ".join(args[:3]), problem, (r.stdout + r.stderr)[-300:]))
    assert not failures, "\n".join(map(str, failures))


def test_language_decides_which_comes_first(corpus):
    folder, _ = corpus
    zh = _run("check", "newer_format.gpkg", cwd=folder, lang="zh_CN.UTF-8").stderr
    en = _run("check", "newer_format.gpkg", cwd=folder, lang="en_US.UTF-8").stderr
    assert zh.index("更新版本") < zh.index("newer gridmap")
    assert en.index("newer gridmap") < en.index("更新版本")


def test_notes_have_one_prefix_and_both_languages(corpus, tmp_path):
    """``注意 / note:`` once per note (never "note: note:"), the note itself in Chinese and English."""
    folder, _ = corpus
    r = _run("import", "cut_chinese_fields.shp", "--as-plan", "--name-field", "网格编码名", "-o",
             str(tmp_path / "p.gpkg"), cwd=folder)
    assert r.returncode == 0, r.stderr
    notes = [ln for ln in r.stdout.splitlines() if "note" in ln]
    assert notes and not any("note: note" in ln.lower() for ln in notes)
    assert all(ln.count("note") == 1 and CJK.search(ln.split(":", 1)[1]) for ln in notes), notes
    assert any("cut at 10 bytes" in ln for ln in notes)


def test_debug_shows_trace(corpus):
    folder, _ = corpus
    r = _run("import", "garbage.dxf", "--inspect", "--debug", cwd=folder)
    assert r.returncode == 2 and "Traceback" in r.stderr
