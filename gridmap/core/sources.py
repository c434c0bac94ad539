r"""How a plan records the files of its base layers, so that a project folder moves between PCs
and between Windows and Linux.

A file in or near the project folder is recorded relative to it, always with ``/`` (Windows
reads ``/`` too); a file on another drive (``E:\底图\道路.shp`` for a plan on ``D:``), or with no
relative path to the project, is recorded as it is.  Reading accepts both separators, so a plan
written by an older gridmap on Windows (``底图\道路.gpkg``) finds its base layers on Linux.

The path rules are those of the platform the plan is used on; ``pathmod`` (``ntpath`` or
``posixpath``) makes the Windows rules testable anywhere:

>>> import ntpath
>>> record_source(r"D:\规划科\底图\道路.gpkg", r"D:\规划科\宝安方案", pathmod=ntpath)
'../底图/道路.gpkg'
>>> record_source(r"E:\数据\区界.shp", r"D:\规划科\宝安方案", pathmod=ntpath)
'E:\\数据\\区界.shp'
>>> resolve_source(r"..\底图\道路.gpkg", "/home/zhang/规划科/宝安方案", pathmod=posixpath)
'/home/zhang/规划科/底图/道路.gpkg'
>>> resolve_source("../底图/道路.gpkg", r"D:\规划科\宝安方案", pathmod=ntpath)
'D:\\规划科\\底图\\道路.gpkg'
>>> is_absolute_source(r"\\server\共享\底图.gpkg"), is_absolute_source("C:/GIS/a.gpkg"), is_absolute_source("a/b.gpkg")
(True, True, False)
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import re
from pathlib import Path

__all__ = ["record_source", "resolve_source", "resolve_source_path", "is_absolute_source"]

_WINDOWS_ABS = re.compile(r"^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/]+[\\/])")


def is_absolute_source(source: str) -> bool:
    """Absolute on some platform: ``/…``, ``C:\…`` / ``C:/…``, or ``\\\\server\\share\\…``."""
    return source.startswith("/") or bool(_WINDOWS_ABS.match(source))


def record_source(path, project_dir, pathmod=os.path) -> str:
    """How ``path`` is stored in a plan in ``project_dir``: relative with ``/`` where possible,
    else absolute in the platform's own spelling.  Never raises for paths on different drives."""
    p = pathmod.normpath(pathmod.abspath(str(path))) if pathmod is os.path else pathmod.normpath(str(path))
    if project_dir is None:
        return p
    base = pathmod.normpath(pathmod.abspath(str(project_dir))) if pathmod is os.path \
        else pathmod.normpath(str(project_dir))
    try:
        rel = pathmod.relpath(p, base)
    except ValueError:  # another drive on Windows
        return p
    if pathmod.isabs(rel) or rel.startswith(("\\\\", "//")):
        return p
    return rel.replace("\\", "/") if pathmod is ntpath else rel


def resolve_source(source: str, project_dir, pathmod=os.path) -> str:
    """The file a recorded source names, for a plan in ``project_dir`` (None: as it is)."""
    s = str(source)
    if is_absolute_source(s) or project_dir is None:
        return s
    rel = s.replace("\\", pathmod.sep).replace("/", pathmod.sep)
    return pathmod.normpath(pathmod.join(str(project_dir), rel))


def resolve_source_path(source: str, project_dir) -> Path:
    """:func:`resolve_source` on this platform, as a :class:`~pathlib.Path`."""
    return Path(resolve_source(source, project_dir))
