"""A CJK font that PDF, PNG and Word outputs can embed.

Maps and atlases are drawn with matplotlib.  Its PDF backend embeds TrueType
(``glyf``) fonts as real, selectable text (``pdf.fonttype`` 42); CFF/OpenType
fonts such as Noto Sans CJK cannot be embedded that way.  So we look for a
TrueType CJK font: ``$GRIDMAP_CJK_FONT`` first, then well-known files
(WenQuanYi Micro Hei on Debian/Ubuntu: package ``fonts-wqy-microhei``;
SimHei, Microsoft YaHei, SimSun on Windows; STHeiti on macOS), then any
TrueType font on the system that has the Chinese characters we print.

>>> font = find_cjk_font()
>>> font.path.suffix in (".ttf", ".ttc", ".otf")
True
>>> is_embeddable_cjk(font.path)
True
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .errors import OutputError

__all__ = ["CJKFont", "find_cjk_font", "is_embeddable_cjk", "missing_glyphs", "KNOWN_FONTS", "WINDOWS_FONTS",
           "font_candidates"]

# Characters every output prints: a font must have all of them.
_PROBE = "网格编码附件示意图东南西北至区街道社区"

KNOWN_FONTS: tuple[str, ...] = (
    # Debian / Ubuntu
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",        # Fedora
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    # Windows
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    # macOS
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)

_INSTALL_HINT = {
    "linux": "install one, e.g. 'sudo apt-get install fonts-wqy-microhei' (Debian/Ubuntu)",
    "win32": "Windows ships SimHei (simhei.ttf); restore it in C:\\Windows\\Fonts",
    "darwin": "macOS ships STHeiti; restore it in /System/Library/Fonts",
}


@dataclass(frozen=True)
class CJKFont:
    """A TrueType font file with Chinese glyphs (face 0 of a collection)."""

    path: Path
    name: str

    def prop(self, size: float | None = None):
        """matplotlib ``FontProperties`` of this font at ``size`` points."""
        from matplotlib.font_manager import FontProperties

        return FontProperties(fname=str(self.path), size=size)


@lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True) if path.lower().endswith(".ttc") else TTFont(path, lazy=True)
    try:
        return frozenset((font.getBestCmap() or {}).keys())
    finally:
        font.close()


def missing_glyphs(texts, font: CJKFont) -> list[str]:
    """Characters of ``texts`` the font has no glyph for (they would print as
    empty boxes), in order of first appearance.

    >>> missing_glyphs(["网格 A-1", "\u4dc0"], find_cjk_font())   # a hexagram symbol no CJK font draws
    ['\u4dc0']
    """
    cmap = _cmap(str(font.path))
    seen: dict[str, None] = {}
    for t in texts:
        for ch in str(t):
            if not ch.isspace() and ord(ch) not in cmap:
                seen.setdefault(ch)
    return list(seen)


def is_embeddable_cjk(path) -> bool:
    """Whether face 0 of a font file has TrueType outlines and the Chinese
    characters gridmap prints.

    >>> is_embeddable_cjk("/nonexistent.ttf")
    False
    """
    from fontTools.ttLib import TTFont

    path = Path(path)
    if not path.is_file():
        return False
    try:
        font = TTFont(str(path), fontNumber=0, lazy=True) if path.suffix.lower() == ".ttc" \
            else TTFont(str(path), lazy=True)
        try:
            if "glyf" not in font:
                return False
            cmap = font.getBestCmap() or {}
            return all(ord(ch) in cmap for ch in _PROBE)
        finally:
            font.close()
    except Exception:  # unreadable or not a font: not usable
        return False


def _name_of(path: Path) -> str:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=0, lazy=True) if path.suffix.lower() == ".ttc" \
        else TTFont(str(path), lazy=True)
    try:
        return str(font["name"].getDebugName(1) or path.stem)
    finally:
        font.close()


def _system_candidates():
    from matplotlib import font_manager

    for p in sorted(font_manager.findSystemFonts()):
        if Path(p).suffix.lower() in (".ttf", ".ttc"):
            yield Path(p)


# Windows: 黑体 first (clear on maps), then 微软雅黑 and 宋体, also the regular/bold faces of YaHei
WINDOWS_FONTS: tuple[str, ...] = ("simhei.ttf", "msyh.ttc", "msyh.ttf", "simsun.ttc", "simkai.ttf", "simfang.ttf")


def font_candidates(platform: str | None = None, environ=None) -> list[Path]:
    """Font files to try, in order, on ``platform`` (``sys.platform`` values) with ``environ``
    (default ``os.environ``) — parameters so the Windows rules are testable anywhere.

    On Windows: ``%WINDIR%\\Fonts`` (any drive, not only ``C:``), then fonts installed for one
    user (``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``, Windows 10 1809 and later), file names
    matched without regard to case as Windows does.  Then the well-known files of the other
    systems, then a font inside a bundle (``gridmap/fonts``).
    """
    from ..locations import bundled_fonts_dir

    platform = platform or sys.platform
    env = os.environ if environ is None else environ
    out: list[Path] = []
    if platform == "win32":
        folders = [Path(env.get("WINDIR") or env.get("SystemRoot") or "C:/Windows") / "Fonts"]
        if env.get("LOCALAPPDATA"):
            folders.append(Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
        for folder in folders:
            try:
                by_lower = {p.name.lower(): p for p in folder.iterdir()}
            except OSError:
                by_lower = {}
            out += [by_lower.get(n, folder / n) for n in WINDOWS_FONTS]
    out += [Path(p) for p in KNOWN_FONTS if Path(p) not in out]
    bundled = bundled_fonts_dir()
    if bundled is not None:
        out += sorted(p for p in bundled.iterdir() if p.suffix.lower() in (".ttf", ".ttc"))
    return out


def _find(platform: str | None = None, environ=None, system_fonts: bool = True) -> CJKFont:
    env = os.environ if environ is None else environ
    path_env = env.get("GRIDMAP_CJK_FONT", "")
    if path_env:
        if not is_embeddable_cjk(path_env):
            raise OutputError(f"GRIDMAP_CJK_FONT={path_env}: not a TrueType font with Chinese characters "
                              "(CFF/OpenType fonts such as Noto Sans CJK cannot be embedded in PDF)")
        return CJKFont(Path(path_env), _name_of(Path(path_env)))
    for path in font_candidates(platform, env):
        if is_embeddable_cjk(path):
            return CJKFont(path, _name_of(path))
    for path in _system_candidates() if system_fonts else ():
        if is_embeddable_cjk(path):
            return CJKFont(path, _name_of(path))
    hint = _INSTALL_HINT.get(platform or sys.platform, _INSTALL_HINT["linux"])
    raise OutputError(f"no TrueType font with Chinese characters found for maps and PDFs; {hint} "
                      "or set GRIDMAP_CJK_FONT to a .ttf/.ttc file")


@cache
def find_cjk_font() -> CJKFont:
    """The CJK font outputs use, or :class:`OutputError` saying how to get one."""
    return _find()


# ---------------------------------------------------------------------- fonts by role (GB/T 9704)
# role → (what the standard asks for, name fragments that identify such a font, lower case)
ROLE_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("小标宋", ("小标宋", "xiaobiaosong", "xbsong", "fzxbs")),
    "song": ("宋体", ("宋体", "simsun", "nsimsun", "song", "uming", "ming", "明体", "明朝")),
    "hei": ("黑体", ("黑体", "simhei", "hei", "黑")),
    "fangsong": ("仿宋", ("仿宋", "fangsong", "fzfsk", "simfang")),
}
_ROLE_FILES = {
    "title": ("C:/Windows/Fonts/FZXBSJW.TTF", "/usr/share/fonts/truetype/fz/FZXBSJW.TTF"),
    "song": ("/usr/share/fonts/truetype/arphic/uming.ttc", "C:/Windows/Fonts/simsun.ttc",
             "/System/Library/Fonts/Supplemental/Songti.ttc"),
    "hei": ("C:/Windows/Fonts/simhei.ttf", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    "fangsong": ("C:/Windows/Fonts/simfang.ttf",),
}


@dataclass(frozen=True)
class RoleFont:
    """The font printed for a role: ``font``, whether it must be drawn bold
    (a fallback for 小标宋 is), and a notice when it is a substitute."""

    font: CJKFont
    bold: bool = False
    notice: str = ""


@lru_cache(maxsize=256)
def _family_names(path: str) -> str:
    """All family and full names of face 0 (every language), lower case, joined."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=0, lazy=True) if path.lower().endswith(".ttc") else TTFont(path, lazy=True)
    except Exception:  # not a readable font
        return ""
    try:
        names = []
        for rec in font["name"].names:
            if rec.nameID in (1, 4, 16):
                try:
                    names.append(rec.toUnicode())
                except Exception:  # an undecodable record
                    continue
        return " ".join(names).lower()
    finally:
        font.close()


def _role_candidates(role: str):
    env = os.environ.get(f"GRIDMAP_{role.upper()}_FONT", "")
    if env:
        yield Path(env)
    for p in _ROLE_FILES.get(role, ()):
        yield Path(p)
    frags = ROLE_NAMES[role][1]
    for path in _system_candidates():
        names = _family_names(str(path))
        if any(f in names for f in frags):
            yield path


@cache
def find_role_font(role: str) -> RoleFont:
    """The embeddable font for ``role`` (``title`` 小标宋, ``song`` 宋体, ``hei``
    黑体, ``fangsong`` 仿宋), or the nearest substitute with a notice saying so
    (小标宋 → bold 宋体 → bold 黑体; anything → the default CJK font).

    >>> rf = find_role_font("hei")
    >>> rf.font.path.is_file()
    True
    """
    want = ROLE_NAMES[role][0]
    seen = set()
    for path in _role_candidates(role):
        if path in seen:
            continue
        seen.add(path)
        if is_embeddable_cjk(path):
            return RoleFont(CJKFont(path, _name_of(path)))
    if role == "title":
        for sub, subname in (("song", "宋体"), ("hei", "黑体")):
            rf = find_role_font(sub)
            if not rf.notice:
                return RoleFont(rf.font, True,
                                f"未安装小标宋字体，标题以加粗{subname}（{rf.font.name}）代替 "
                                f"(no 小标宋 font installed: the title is set in bold {rf.font.name})")
    base = find_cjk_font()
    return RoleFont(base, role == "title",
                    f"未安装{want}字体，以{base.name}代替 (no {want} font installed: {base.name} is used)")
