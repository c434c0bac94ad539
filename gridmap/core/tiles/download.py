"""Saving an area for offline use: every tile of an extent and a zoom range written
into an MBTiles file — by the app (a background task with progress and cancel) and by
``gridmap tiles URL --extent … --zoom 12-18 -o area.mbtiles``.

Tiles already in the disk cache are taken from it; the others are downloaded (a few at
a time).  An answer that is not an image is a failed tile (with what the server said);
when the first tiles all fail the download stops with that answer instead of asking
thousands of times.  The file is written beside its name and moved into place at the
end: a cancelled or failed run leaves nothing half-written, and an existing file is
replaced only when asked.
"""

from __future__ import annotations

import math
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import bi
from .cache import TileCache
from .keys import redact
from .mbtiles import MBTilesWriter
from .policy import describe_answer, sniff_image
from .source import TileSource

__all__ = ["area_tiles", "download_area", "fetch_tile", "DownloadResult", "DownloadError", "USER_AGENT"]

USER_AGENT = "gridmap (desktop GIS; offline tiles)"


class DownloadError(ValueError):
    """The download cannot be done (bilingual message)."""


@dataclass
class DownloadResult:
    path: Path | None
    total: int = 0
    written: int = 0
    from_cache: int = 0
    failed: int = 0
    cancelled: bool = False
    reasons: dict = field(default_factory=dict)   # reason → count


def _to_grid(source: TileSource, lon, lat):
    import numpy as np

    from .. import gcj02

    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    if source.gcj:
        lon, lat = gcj02.wgs84_to_gcj02(lon, lat)
    if source.grid.crs.upper() in ("EPSG:4326", "EPSG:4490", "OGC:CRS84"):
        return lon, lat
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", source.grid.crs, always_xy=True)
    lat = np.clip(lat, -85.05112878, 85.05112878) if source.grid.crs.upper() == "EPSG:3857" else lat
    return t.transform(lon, lat)


def area_tiles(source: TileSource, extent_ll, zmin: int, zmax: int):
    """[(matrix, x, y)] of the tiles covering a lon/lat extent (WGS84) at levels zmin..zmax."""
    import numpy as np

    w, s, e, n = (float(v) for v in extent_ll)
    t = np.linspace(0, 1, 11)
    lon = np.concatenate([w + (e - w) * t, np.full(11, e), w + (e - w) * t, np.full(11, w)])
    lat = np.concatenate([np.full(11, s), s + (n - s) * t, np.full(11, n), s + (n - s) * t])
    gx, gy = _to_grid(source, lon, lat)
    box = (float(np.min(gx)), float(np.min(gy)), float(np.max(gx)), float(np.max(gy)))
    out = []
    for m in source.grid.levels(max(zmin, source.min_zoom), min(zmax, source.max_zoom)):
        r = source.grid.tile_range(m, *box)
        if r is None:
            continue
        x0, x1, y0, y1 = r
        out += [(m, x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
    return out


def fetch_tile(url: str, timeout: float = 15.0) -> bytes:
    """One tile's bytes; raises ``OSError`` with what went wrong (non-image answers too)."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            data = r.read()
            ctype = r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise OSError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise OSError(str(exc.reason)) from None
    except (TimeoutError, OSError) as exc:
        raise OSError(str(exc) or type(exc).__name__) from None
    if sniff_image(data) is None:
        raise OSError(describe_answer(ctype, data))
    return data


def download_area(source: TileSource, extent_ll, zmin: int, zmax: int, out, *, key: str = "",
                  cache: TileCache | None = None, progress=None, cancelled=None, workers: int = 4,
                  timeout: float = 15.0, max_tiles: int = 100_000, overwrite: bool = False,
                  name: str = "gridmap") -> DownloadResult:
    """Write the tiles of ``extent_ll`` (west, south, east, north in degrees) at levels
    ``zmin..zmax`` into the MBTiles file ``out``.  ``progress(done, total)``;
    ``cancelled()`` stops between tiles (the file is then not written)."""
    out = Path(out)
    if not source.grid.is_web_mercator:
        raise DownloadError(bi(f"MBTiles 只能保存 Web 墨卡托（XYZ）瓦片，此来源的瓦片矩阵集是 {source.grid.crs}",
                               f"MBTiles holds only Web-Mercator (XYZ) tiles; this source's matrix set is "
                               f"{source.grid.crs}"))
    if out.exists() and not overwrite:
        raise DownloadError(bi(f"{out} 已存在（不会覆盖；请换一个文件名）",
                               f"{out} exists (not overwritten; choose another name)"))
    w, s, e, n = (float(v) for v in extent_ll)
    if not (w < e and s < n and -180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= 90 and -90 <= n <= 90):
        raise DownloadError(bi(f"范围不是有效的经纬度范围：{w},{s},{e},{n}",
                               f"the extent is not a lon/lat extent: {w},{s},{e},{n}"))
    if zmin > zmax:
        raise DownloadError(bi(f"缩放级别范围无效：{zmin}-{zmax}", f"invalid zoom range: {zmin}-{zmax}"))
    tiles = area_tiles(source, extent_ll, zmin, zmax)
    if not tiles:
        raise DownloadError(bi(f"此范围在级别 {zmin}-{zmax} 没有瓦片（来源级别 {source.min_zoom}-{source.max_zoom}）",
                               f"no tiles in this extent at zoom {zmin}-{zmax} (the source has "
                               f"{source.min_zoom}-{source.max_zoom})"))
    if len(tiles) > max_tiles:
        raise DownloadError(bi(f"共 {len(tiles):,} 个瓦片，超过上限 {max_tiles:,}：请缩小范围或级别",
                               f"{len(tiles):,} tiles, more than the limit of {max_tiles:,}: use a smaller "
                               "extent or zoom range"))
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    if part.exists():
        part.unlink()
    result = DownloadResult(None, total=len(tiles))
    stop = cancelled or (lambda: False)

    def get(item):
        m, x, y = item
        if stop():
            return item, None, "cancelled"
        if cache is not None:
            data, fresh = cache.get(source.template, m.level, x, y)
            if data is not None and fresh and sniff_image(data):
                return item, data, "cache"
        try:
            data = fetch_tile(source.url(m, x, y, key), timeout)
        except OSError as exc:
            return item, None, redact(str(exc), key)
        if cache is not None:
            try:
                cache.put(source.template, m.level, x, y, data)
            except OSError:
                pass
        return item, data, ""

    done = 0
    writer = MBTilesWriter(part, name=name, bounds=(w, s, e, n), description="gridmap offline area",
                           extra={"gridmap:datum": "gcj02"} if source.gcj else None)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            chunk = max(8, workers * 4)
            for i in range(0, len(tiles), chunk):
                if stop():
                    result.cancelled = True
                    break
                for (m, x, y), data, how in pool.map(get, tiles[i:i + chunk]):
                    done += 1
                    if data is None:
                        if how == "cancelled":
                            result.cancelled = True
                            continue
                        result.failed += 1
                        result.reasons[how] = result.reasons.get(how, 0) + 1
                    else:
                        writer.put(m.level, x, y, data)
                        result.written += 1
                        result.from_cache += how == "cache"
                if progress is not None:
                    progress(done, len(tiles))
                if result.written == 0 and result.failed >= min(len(tiles), 16):
                    reason = max(result.reasons, key=result.reasons.get)
                    raise DownloadError(bi(f"服务器没有返回瓦片：{reason}", f"the server sent no tiles: {reason}"))
                if result.cancelled:
                    break
    except BaseException:
        writer.close()
        part.unlink(missing_ok=True)
        raise
    writer.close()
    if result.cancelled or result.written == 0:
        part.unlink(missing_ok=True)
        return result
    os.replace(part, out)
    result.path = out
    return result


def parse_zoom(text: str) -> tuple[int, int]:
    """``"12-18"`` or ``"15"`` → (12, 18) / (15, 15).

    >>> parse_zoom("12-18"), parse_zoom("15")
    ((12, 18), (15, 15))
    """
    t = str(text).strip()
    try:
        if "-" in t:
            a, b = t.split("-", 1)
            lo, hi = int(a), int(b)
        else:
            lo = hi = int(t)
    except ValueError:
        raise DownloadError(bi(f"缩放级别应写作 12-18：{text!r}", f"zoom levels are written 12-18: {text!r}")) from None
    if not (0 <= lo <= hi <= 24):
        raise DownloadError(bi(f"缩放级别范围无效：{text}", f"invalid zoom range: {text}"))
    return lo, hi


def tile_count_note(n: int) -> str:
    return bi(f"{n:,} 个瓦片", f"{n:,} tiles")


def lonlat_extent(values, crs: str | None = None):
    """(w, s, e, n) in degrees from four numbers in ``crs`` (lon/lat when None)."""
    xmin, ymin, xmax, ymax = (float(v) for v in values)
    if crs is None or str(crs).upper() in ("EPSG:4326", "EPSG:4490", "WGS84", "CGCS2000"):
        return xmin, ymin, xmax, ymax
    from pyproj import Transformer

    t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    w, s, e, n = t.transform_bounds(xmin, ymin, xmax, ymax, densify_pts=11)
    if any(not math.isfinite(v) for v in (w, s, e, n)):
        raise DownloadError(bi("范围无法转换为经纬度", "the extent cannot be converted to lon/lat"))
    return w, s, e, n
