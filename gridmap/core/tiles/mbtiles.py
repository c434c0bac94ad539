"""MBTiles files: reading the metadata (``scheme``: ``tms`` by default — rows counted from
the south — or ``xyz``) and writing an area's tiles for offline use.  Tiles of a GCJ-02
provider keep their datum in the metadata (``gridmap:datum = gcj02``), so the file is
shifted back when it is shown.

>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "a.mbtiles")
>>> with MBTilesWriter(p, name="test") as w:
...     w.put(1, 0, 0, b"\\x89PNG\\r\\n\\x1a\\n")
>>> info = read_info(p)
>>> info["scheme"], info["minzoom"], info["format"], row_of(0, 1, "tms"), row_of(0, 1, "xyz")
('tms', 1, 'png', 1, 0)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..messages import bi
from .policy import sniff_image

__all__ = ["MBTilesWriter", "read_info", "row_of", "MBTilesError"]


class MBTilesError(ValueError):
    pass


def row_of(y: int, z: int, scheme: str = "tms") -> int:
    """The ``tile_row`` of XYZ row ``y`` under a scheme (TMS flips it)."""
    return y if str(scheme).lower() == "xyz" else 2 ** z - 1 - y


def read_info(path) -> dict:
    """Metadata of an MBTiles file plus ``scheme``, ``minzoom``, ``maxzoom`` (from the tiles)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(str(path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = {str(k): str(v) for k, v in con.execute("SELECT name, value FROM metadata").fetchall()}
            zooms = con.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise MBTilesError(bi(f"{path}：不是 MBTiles 文件（{exc}）", f"{path}: not an MBTiles file ({exc})")) from exc
    scheme = meta.get("scheme", "tms").strip().lower()
    meta["scheme"] = scheme if scheme in ("tms", "xyz") else "tms"
    meta.setdefault("format", "png")
    if zooms and zooms[0] is not None:
        meta["minzoom"], meta["maxzoom"] = int(zooms[0]), int(zooms[1])
    return meta


class MBTilesWriter:
    """Writes raster tiles (TMS rows, as the MBTiles 1.3 spec says) into a new file."""

    def __init__(self, path, name: str = "gridmap", description: str = "", bounds=None,
                 attribution: str = "", extra: dict | None = None):
        self.path = Path(path)
        self.meta = {"name": name, "type": "baselayer", "version": "1.1", "description": description,
                     "format": "", "attribution": attribution, **(extra or {})}
        if bounds is not None:
            self.meta["bounds"] = ",".join(f"{v:.7f}" for v in bounds)
        self.minzoom = self.maxzoom = None
        self.count = 0
        self.con = sqlite3.connect(str(self.path))
        self.con.execute("CREATE TABLE IF NOT EXISTS metadata (name text, value text)")
        self.con.execute("CREATE TABLE IF NOT EXISTS tiles (zoom_level integer, tile_column integer, "
                         "tile_row integer, tile_data blob)")
        self.con.execute("CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row)")

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        """Tile (z, x, y) in XYZ numbering."""
        if not self.meta["format"]:
            self.meta["format"] = {"jpeg": "jpg"}.get(sniff_image(data) or "png", sniff_image(data) or "png")
        self.con.execute("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)", (z, x, row_of(y, z), sqlite3.Binary(data)))
        self.minzoom = z if self.minzoom is None else min(self.minzoom, z)
        self.maxzoom = z if self.maxzoom is None else max(self.maxzoom, z)
        self.count += 1
        if self.count % 500 == 0:
            self.con.commit()

    def close(self) -> None:
        meta = dict(self.meta, format=self.meta["format"] or "png")
        if self.minzoom is not None:
            meta["minzoom"], meta["maxzoom"] = str(self.minzoom), str(self.maxzoom)
        self.con.execute("DELETE FROM metadata")
        self.con.executemany("INSERT INTO metadata VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
        self.con.commit()
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
