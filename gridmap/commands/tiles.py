"""``gridmap tiles URL --extent minx,miny,maxx,maxy --zoom 12-18 -o area.mbtiles``: save
the tiles of an area into an MBTiles file for offline use (field laptops, intranets).

URL is an XYZ template (``{z} {x} {y}``, ``{s}`` with ``--subdomains``, ``{key}`` with
``--key`` or ``GRIDMAP_TILE_KEY``) or a WMTS service / GetCapabilities address (then
``--layer``, ``--style``, ``--matrix-set`` pick from it; the Web-Mercator set by default).
"""

from __future__ import annotations

import os
import sys


def add_arguments(p) -> None:
    p.add_argument("url", help="tile URL template or WMTS capabilities URL")
    p.add_argument("--extent", required=True, help="minx,miny,maxx,maxy (lon/lat unless --extent-crs)")
    p.add_argument("--extent-crs", default=None, help="CRS of --extent (e.g. EPSG:4547); default lon/lat")
    p.add_argument("--zoom", required=True, help="zoom range, e.g. 12-18")
    p.add_argument("-o", "--output", required=True, help="the MBTiles file to write")
    p.add_argument("--key", default=None, help="the service key for {key} (or GRIDMAP_TILE_KEY)")
    p.add_argument("--subdomains", default="", help="letters/digits for {s}, e.g. 01234567")
    p.add_argument("--datum", choices=["wgs84", "gcj02"], default="wgs84", help="the provider's datum")
    p.add_argument("--layer", default=None, help="WMTS layer identifier")
    p.add_argument("--style", default=None, help="WMTS style")
    p.add_argument("--matrix-set", default=None, help="WMTS tile matrix set (Web Mercator, e.g. w)")
    p.add_argument("--max-tiles", type=int, default=100_000, help="refuse larger downloads (default 100000)")
    p.add_argument("--force", action="store_true", help="replace an existing output file")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _wmts_source(args, key: str):
    from ..core.messages import bi
    from ..core.tiles.grid import expand_url
    from ..core.tiles.keys import carry_key, redact, split_key
    from ..core.tiles.wmts import build_source, capabilities_url, parse_capabilities
    from . import UsageError
    import urllib.request

    url = capabilities_url(args.url)
    req = urllib.request.Request(expand_url(url, 0, 0, 0, "", key), headers={"User-Agent": "gridmap"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            caps = parse_capabilities(r.read(), url)
    except OSError as exc:
        shown = redact(url, key)
        raise UsageError(bi(f"无法读取能力文档 {shown}：{exc}", f"cannot read the capabilities {shown}: {exc}")) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    layer = args.layer or caps.layers[0].ident
    lay = caps.layer(layer)
    ms = args.matrix_set or next((m for m in lay.matrix_sets if caps.matrix_sets.get(m) and
                                  caps.matrix_sets[m].is_web_mercator), None)
    if ms is None:
        raise UsageError(bi(f"图层 {layer} 没有 Web 墨卡托瓦片矩阵集（MBTiles 需要），可用：{', '.join(lay.matrix_sets)}",
                            f"layer {layer} has no Web-Mercator tile matrix set (MBTiles needs one); it has "
                            f"{', '.join(lay.matrix_sets)}"))
    template, grid = build_source(caps, layer, args.style, ms)
    template = carry_key(split_key(template)[0], args.url)
    return template, grid


def run(args) -> int:
    from ..core.messages import bi
    from ..core.tiles.download import DownloadError, download_area, lonlat_extent, parse_zoom
    from ..core.tiles.keys import needs_key, split_key
    from ..core.tiles.source import TileSource
    from ..core.tiles.wmts import is_capabilities_url
    from . import UsageError

    last = [-1]
    template, literal = split_key(args.url)
    key = args.key or os.environ.get("GRIDMAP_TILE_KEY", "") or literal
    try:
        zmin, zmax = parse_zoom(args.zoom)
        parts = [v for v in args.extent.replace(" ", "").split(",") if v]
        if len(parts) != 4:
            raise DownloadError(bi("范围应写作 minx,miny,maxx,maxy", "the extent is written minx,miny,maxx,maxy"))
        try:
            values = [float(v) for v in parts]
        except ValueError:
            raise DownloadError(bi(f"范围不是数字：{args.extent}", f"the extent is not numbers: {args.extent}")) from None
        if args.extent_crs is None and any(abs(v) > 180 for v in values):
            raise DownloadError(bi("范围看起来是投影坐标：请用 --extent-crs 说明坐标系（如 EPSG:4547）",
                                   "the extent looks projected: name its CRS with --extent-crs (e.g. EPSG:4547)"))
        extent = lonlat_extent(values, args.extent_crs)
        if is_capabilities_url(template):
            template, grid = _wmts_source(args, key)
            source = TileSource(template, grid, args.subdomains, args.datum,
                                min(m.level for m in grid.matrices), max(m.level for m in grid.matrices))
        else:
            if "{z}" not in template or "{x}" not in template or ("{y}" not in template and "{-y}" not in template):
                raise DownloadError(bi("URL 不是瓦片模板（需要 {z} {x} {y}）或 WMTS 能力文档地址",
                                       "the URL is no tile template (needs {z} {x} {y}) nor a WMTS capabilities address"))
            source = TileSource.from_style(template, {"subdomains": args.subdomains, "datum": args.datum,
                                                      "min_zoom": 0, "max_zoom": 22})
        if needs_key(source.template) and not key:
            raise DownloadError(bi("此地址需要密钥 {key}：用 --key 或环境变量 GRIDMAP_TILE_KEY 提供",
                                   "this address takes a key {key}: give --key or GRIDMAP_TILE_KEY"))
        def progress(done, total):
            if args.quiet:
                return
            pct = int(100 * done / max(total, 1))
            if pct >= last[0] + 5 or done == total:
                last[0] = pct
                print(f"\r{done}/{total} ({pct}%)", end="", file=sys.stderr, flush=True)

        result = download_area(source, extent, zmin, zmax, args.output, key=key, progress=progress,
                               max_tiles=args.max_tiles, overwrite=args.force)
    except DownloadError as exc:
        if not args.quiet and last[0] >= 0:
            print(file=sys.stderr)          # end the progress line before the message
        raise UsageError(str(exc)) from None
    if not args.quiet:
        print(file=sys.stderr)
    if result.path is None:
        print(bi("没有写入文件（没有下载到瓦片）", "nothing written (no tile was downloaded)"), file=sys.stderr)
        return 1
    print(bi(f"已写入 {result.path}：{result.written} 个瓦片（失败 {result.failed}）",
             f"wrote {result.path}: {result.written} tiles ({result.failed} failed)"))
    for reason, n in result.reasons.items():
        print(f"  {n} × {reason}", file=sys.stderr)
    return 1 if result.failed else 0
