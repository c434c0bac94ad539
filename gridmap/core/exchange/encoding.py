"""Text encoding of a shapefile's .dbf: read from .cpg, or detected when it is missing.

Files from Chinese systems are UTF-8, GBK/GB18030 (simplified) or Big5
(traditional) and often come without a .cpg, so names read as mojibake
(geopandas/pyogrio#380).  Detection: UTF-8 if every text value decodes as
UTF-8; otherwise each Chinese candidate is scored by the share of decoded
Chinese characters that are in its own level-1 (common) character set —
GB2312 level 1 for GBK, Big5 level 1 for Big5.  Real text scores near 1,
the mojibake of the wrong codec far lower.  The guess comes with a preview
of decoded values so a person can confirm it or choose another.

>>> names = ["潮阳区", "澄海区", "南澳县", "濠江区", "潮南区", "金平区", "龙湖区"]
>>> detect_encoding([n.encode("gbk") for n in names]).label
'GBK/GB18030'
>>> detect_encoding([n.encode("utf-8") for n in names]).label
'UTF-8'
>>> detect_encoding([n.encode("cp950") for n in ["羅東鎮", "宜蘭縣", "北成里", "東安里", "中山里"]]).label
'Big5'
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..messages import bi
from . import ExchangeError

__all__ = ["EncodingGuess", "detect_encoding", "detect_dbf_encoding", "cpg_encoding", "dbf_text_values",
           "LABELS", "codec_for", "refine", "dbf_located_values", "truncated_field_names"]

# codec used to decode → label shown to people
LABELS = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030", "cp950": "Big5", "big5hkscs": "Big5-HKSCS"}
_ALIASES = {
    "utf8": "utf-8", "utf-8": "utf-8", "65001": "utf-8", "utf8bom": "utf-8",
    "gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030", "cp936": "gb18030", "936": "gb18030",
    "ms936": "gb18030", "54936": "gb18030", "euccn": "gb18030", "hzgb2312": "gb18030",
    "big5": "cp950", "cp950": "cp950", "950": "cp950", "big5hkscs": "big5hkscs", "hkscs": "big5hkscs", "ms950": "cp950",
}
# dBASE language driver ids (byte 29 of the header) that name a Chinese code page
_LDID = {0x4D: "gb18030", 0x7A: "gb18030", 0x4F: "cp950", 0x78: "cp950"}


def codec_for(name: str) -> str:
    """The Python codec gridmap decodes with for an encoding name people write.

    >>> codec_for("GBK"), codec_for("936"), codec_for("Big5"), codec_for("UTF-8")
    ('gb18030', 'gb18030', 'cp950', 'utf-8')
    """
    key = "".join(ch for ch in str(name).lower() if ch.isalnum())
    key = {"utf8": "utf8"}.get(key, key)
    for k, v in _ALIASES.items():
        if key == "".join(ch for ch in k if ch.isalnum()):
            return v
    import codecs

    try:
        return codecs.lookup(str(name)).name
    except LookupError:
        raise ExchangeError(bi(f"未知的文字编码 {name!r}（可用 UTF-8、GBK、GB18030 或 Big5）",
                                  f"unknown text encoding {name!r} (use UTF-8, GBK, GB18030 or Big5)")) from None


def cpg_encoding(text: str) -> str | None:
    """The codec named by a .cpg file's text, or None if it names nothing usable.

    >>> cpg_encoding("UTF-8\\n"), cpg_encoding("936"), cpg_encoding("")
    ('utf-8', 'gb18030', None)
    """
    text = (text or "").strip().lstrip("\ufeff")
    if not text:
        return None
    try:
        return codec_for(text)
    except ExchangeError:
        return None


@lru_cache(maxsize=1)
def _common_sets() -> dict[str, frozenset]:
    gb = set()
    for lead in range(0xB0, 0xD8):          # GB2312 level 1: 3,755 common hanzi
        for trail in range(0xA1, 0xFF):
            try:
                gb.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    big5 = set()
    for lead in range(0xA4, 0xC7):          # Big5 level 1: 5,401 common hanzi
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                big5.add(bytes([lead, trail]).decode("cp950"))
            except UnicodeDecodeError:
                pass
    return {"gb18030": frozenset(gb), "cp950": frozenset(big5), "utf-8": frozenset(gb | big5)}


def _score(text: str, codec: str) -> float:
    """Share of non-ASCII characters that are common hanzi of the codec's charset."""
    common = _common_sets()[codec]
    n = good = 0
    for ch in text:
        if ord(ch) < 128 or ch in "\u3000，。、；：（）《》“”—·":
            continue
        n += 1
        good += ch in common
    return good / n if n else 1.0


@dataclass
class EncodingGuess:
    """The encoding of some text values: ``codec`` to decode with, ``label`` for
    people, where it came from (``source``), a ``confidence`` in 0…1 and a
    ``preview`` of decoded values; ``alternatives`` previews the other candidates."""

    codec: str
    label: str
    source: str
    confidence: float
    preview: list[str] = field(default_factory=list)
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    # text values that did not decode cleanly (characters replaced): how many, and where (first few)
    replaced: int = 0
    replaced_where: list[str] = field(default_factory=list)

    def replacement_note(self) -> str | None:
        """A note saying how many values lost characters when decoded, and where; None if none did."""
        if not self.replaced:
            return None
        where = ", ".join(self.replaced_where[:5]) + (" …" if self.replaced > 5 else "")
        return bi(f"有 {self.replaced} 个文字值含有 {self.label} 无法解码的字符（显示为 �）：{where}；"
                  "可用 --encoding 换一种编码",
                  f"{self.replaced} text values have characters that {self.label} cannot decode (shown as �): "
                  f"{where}; try another --encoding")


def _preview(values: list[bytes], codec: str, n: int = 5) -> list[str]:
    out = []
    for v in values:
        s = v.decode(codec, errors="replace").strip()
        if s and any(ord(c) > 127 for c in s) and s not in out:
            out.append(s)
        if len(out) >= n:
            break
    if not out:
        out = [v.decode(codec, errors="replace").strip() for v in values[:n]]
    return out


def detect_encoding(values: list[bytes], candidates=("utf-8", "gb18030", "cp950")) -> EncodingGuess:
    """Guess the encoding of byte strings (text values of one file)."""
    values = [v for v in values if v]
    if not any(b >= 0x80 for v in values for b in v):
        return EncodingGuess("utf-8", "UTF-8", "detected (text is plain ASCII)", 1.0, _preview(values, "utf-8"))
    joined = b"\n".join(values)
    scores = {}
    for codec in candidates:
        try:
            text = joined.decode(codec)
        except UnicodeDecodeError:
            continue
        scores[codec] = _score(text, codec) + (0.5 if codec == "utf-8" else 0.0)
    if not scores:
        best = "gb18030"
        conf = 0.0
    else:
        best = max(scores, key=lambda c: (scores[c], c == "gb18030"))
        ranked = sorted(scores.values(), reverse=True)
        conf = min(1.0, ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)) if best != "utf-8" else 1.0
    alts = {LABELS.get(c, c): _preview(values, c) for c in candidates if c != best}
    return EncodingGuess(best, LABELS.get(best, best), "detected", round(float(conf), 3),
                         _preview(values, best), alts)


def _walk_dbf(path, limit: int = 2000) -> tuple[list[tuple[str, bytes]], int]:
    """The field names and text values of a .dbf with where each is ("field name 3", "record 5 field 2"),
    and its language driver id.  Reads the file once."""
    path = Path(path)
    out: list[tuple[str, bytes]] = []
    try:
        with open(path, "rb") as f:
            head = f.read(32)
            if len(head) < 32:
                raise ExchangeError(f"{path}: " + bi(f"不是 dBASE 文件（只有 {len(head)} 字节）", f"not a dBASE file (only {len(head)} bytes)"))
            nrec, hlen, rlen = struct.unpack("<IHH", head[4:12])
            desc = f.read(max(hlen - 32, 0))
            fields, pos, offset = [], 0, 1
            while pos + 32 <= len(desc) and desc[pos] != 0x0D:
                out.append((f"field name {pos // 32 + 1}", desc[pos:pos + 11].split(b"\0", 1)[0]))
                if chr(desc[pos + 11]) == "C":
                    fields.append((offset, desc[pos + 16], pos // 32 + 1))
                offset += desc[pos + 16]
                pos += 32
            f.seek(hlen)
            for r in range(min(nrec, limit)):
                rec = f.read(rlen)
                if len(rec) < rlen:
                    break
                for off, ln, k in fields:
                    v = rec[off:off + ln].rstrip(b" \0")
                    if v:
                        out.append((f"record {r + 1} field {k}", v))
    except OSError as exc:
        raise ExchangeError(f"{path}: " + bi("无法读取", "cannot read") + f" ({exc.strerror})") from exc
    return out, head[29]


def dbf_text_values(path, limit: int = 2000) -> tuple[list[bytes], int]:
    """Raw bytes of the text fields (and field names) of a .dbf, and its language driver id."""
    located, ldid = _walk_dbf(path, limit)
    return [v for _, v in located], ldid


def _failures(located: list[tuple[str, bytes]], codec: str) -> list[str]:
    out = []
    for where, v in located:
        try:
            v.decode(codec)
        except UnicodeDecodeError:
            out.append(where)
    return out


def refine(guess: EncodingGuess, located: list[tuple[str, bytes]]) -> EncodingGuess:
    """Big5 → Big5-HKSCS when Hong Kong characters (邨, 鰂, 脷 …) do not decode as plain Big5 (cp950)
    but do as HKSCS; then count the values that still lose characters (``replaced``)."""
    fails = _failures(located, guess.codec)
    if fails and guess.codec == "cp950":
        hk = _failures(located, "big5hkscs")
        if len(hk) < len(fails):
            guess = EncodingGuess("big5hkscs", LABELS["big5hkscs"], guess.source + "; HKSCS characters found",
                                  guess.confidence, _preview([v for _, v in located], "big5hkscs"),
                                  guess.alternatives)
            fails = hk
    guess.replaced, guess.replaced_where = len(fails), fails[:20]
    return guess


def dbf_located_values(path, limit: int = 2000) -> list[tuple[str, bytes]]:
    """Text values of a .dbf with where they are ("field name 3", "record 5 field 2")."""
    return _walk_dbf(path, limit)[0]


def detect_dbf_encoding(path, limit: int = 2000) -> EncodingGuess:
    """The encoding of a shapefile's .dbf: its .cpg if there is one, else the dBASE language driver
    id if it names a Chinese code page, else detected from the text values (see :func:`detect_encoding`);
    Big5 refined to Big5-HKSCS where needed, with the values that lose characters counted.

    ``path`` may be the .shp or the .dbf.
    """
    path = Path(path)
    dbf = path.with_suffix(".dbf") if path.suffix.lower() != ".dbf" else path
    if not dbf.exists():
        alt = [p for p in dbf.parent.glob(dbf.stem + ".*") if p.suffix.lower() == ".dbf"]
        if not alt:
            raise ExchangeError(f"{path}: " + bi(f"缺少属性文件 {dbf.name}", f"the attribute file {dbf.name} is missing"))
        dbf = alt[0]
    located, ldid = _walk_dbf(dbf, limit)
    return refine(_declared_or_detected(dbf, [v for _, v in located], ldid), located)


def _declared_or_detected(dbf: Path, values: list[bytes], ldid: int) -> EncodingGuess:
    cpg = [p for p in dbf.parent.glob(dbf.stem + ".*") if p.suffix.lower() == ".cpg"]
    if cpg:
        codec = cpg_encoding(cpg[0].read_text(encoding="latin-1"))
        if codec:
            return EncodingGuess(codec, LABELS.get(codec, codec), f"{cpg[0].name}", 1.0, _preview(values, codec))
    if ldid in _LDID:
        codec = _LDID[ldid]
        return EncodingGuess(codec, LABELS[codec], "dBASE language driver id", 0.9, _preview(values, codec))
    return detect_encoding(values)


def truncated_field_names(dbf, codec: str) -> bytes | None:
    """The .dbf header with field names repaired when a name was cut at 10 bytes in the middle of a
    multi-byte character (e.g. UTF-8 Chinese): the partial character is dropped.  None if every
    name decodes as it is."""
    data = Path(dbf).read_bytes()
    hlen = struct.unpack("<H", data[8:10])[0]
    head = bytearray(data[:hlen])
    pos, changed = 32, False
    while pos + 32 <= len(head) and head[pos] != 0x0D:
        raw = bytes(head[pos:pos + 11]).split(b"\0", 1)[0]
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            cut = raw
            while cut:
                cut = cut[:-1]
                try:
                    cut.decode(codec)
                    break
                except UnicodeDecodeError:
                    continue
            head[pos:pos + 11] = cut.ljust(11, b"\0")
            changed = True
        pos += 32
    return bytes(head) if changed else None
