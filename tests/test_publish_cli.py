"""gridmap publish, and info/check/export on a postgresql:// URL (a real throwaway cluster)."""

from __future__ import annotations

import json

from gridmap.cli import main


def test_publish_then_info_check_export(sample_plan_path, pg_url, tmp_path, capsys):
    assert main(["publish", str(sample_plan_path), pg_url]) == 0
    assert "published" in capsys.readouterr().out
    assert main(["publish", str(sample_plan_path), pg_url]) == 2           # exists: needs --replace
    assert "--replace" in capsys.readouterr().err
    assert main(["publish", str(sample_plan_path), pg_url, "--replace"]) == 0
    capsys.readouterr()
    assert main(["info", pg_url, "--json"]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert main(["info", str(sample_plan_path), "--json"]) == 0
    assert remote == json.loads(capsys.readouterr().out)
    main(["check", pg_url, "--json"])
    a = json.loads(capsys.readouterr().out)
    main(["check", str(sample_plan_path), "--json"])
    assert a == json.loads(capsys.readouterr().out)
    assert main(["export", pg_url, "--format", "geojson", "-o", str(tmp_path / "out")]) == 0


def test_unreachable_server_is_one_clear_line(capsys):
    url = "postgresql://nobody@127.0.0.1:1/none?schema=s"
    assert main(["info", url]) == 2
    err = capsys.readouterr().err
    assert "无法连接数据库服务器" in err and "cannot connect" in err and "Traceback" not in err


def test_base_maps_named_relative_to_the_file_are_found_on_the_server(sample_plan_path, pg_url):
    """The sample names its base maps relative to itself (baoan_roads.gpkg …); on the server there is no
    project folder, so they are published with their absolute paths and open from the shared plan."""
    from pathlib import Path

    from gridmap.core.storage import open_plan
    from gridmap.core.storage.postgis import publish

    plan = open_plan(sample_plan_path)
    files = plan.base_layers[plan.base_layers["kind"].isin(["vector", "raster", "mbtiles"])]
    assert len(files) and not any(Path(s).is_absolute() for s in files["source"])
    publish(plan, pg_url, replace=True)
    assert list(plan.base_layers["source"]) == list(open_plan(sample_plan_path).base_layers["source"])  # unchanged
    shared = open_plan(pg_url).base_layers.loc[files.index]
    assert all(Path(s).is_absolute() and Path(s).exists() for s in shared["source"])
    assert [Path(s).name for s in shared["source"]] == [Path(s).name for s in files["source"]]
