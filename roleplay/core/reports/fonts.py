"""An OFL-licensed Chinese font embedded in HTML sheets, subset to the characters each sheet uses.

Shipped: a subset of Noto Sans CJK SC (fonts/NotoSansSC-sheets.otf, SIL Open Font License 1.1, see fonts/OFL.txt;
built by tools/make_sheet_font.py). Embedding it means a sheet shows Chinese on a machine without any CJK font
and prints the same everywhere; characters outside it fall back to the system's fonts.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path

FONT_FILE = Path(__file__).with_name("fonts") / "NotoSansSC-sheets.otf"
FAMILY = "roleplay-sheet-sc"


@lru_cache(maxsize=1)
def _shipped() -> tuple[bytes, set[int]]:
    """The shipped font, parsed once per process (subsetting a fresh copy each time)."""
    from fontTools.ttLib import TTFont

    return FONT_FILE.read_bytes(), set(TTFont(FONT_FILE).getBestCmap())


@lru_cache(maxsize=8)
def _subset(chars: str) -> bytes:
    """The WOFF subset for `chars`, from the user's cache folder when made before (subsetting a CJK font
    takes about a second; a session's sheets keep asking for nearly the same characters)."""
    cache = _cache_file(chars)
    if cache is not None:
        try:
            return cache.read_bytes()
        except OSError:
            pass
    made = _make_subset(chars)
    if cache is not None:
        try:  # a read-only home simply means no cache
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
            tmp.write_bytes(made)
            tmp.replace(cache)
        except OSError:
            pass
    return made


def _cache_file(chars: str) -> Path | None:
    from roleplay import __version__
    from roleplay.core.settings import cache_dir

    base = cache_dir()  # follows $ROLEPLAY_CACHE_DIR / $ROLEPLAY_HOME; None with ROLEPLAY_NO_CACHE
    if base is None:
        return None
    st = FONT_FILE.stat()
    key = hashlib.sha256(f"{__version__}|{st.st_size}|{st.st_mtime_ns}|{chars}".encode()).hexdigest()[:32]
    return base / "sheet-fonts" / f"{key}.woff"


def _make_subset(chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    data, _ = _shipped()
    font = TTFont(io.BytesIO(data))
    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed: every browser reads it, and no brotli module is needed
    options.name_IDs = ["*"]  # the copyright and licence stay inside the embedded font
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face(text: str) -> str:
    """A CSS @font-face rule embedding the glyphs `text` needs (only non-ASCII: Latin uses the system font)."""
    try:
        _, covered = _shipped()
    except (OSError, ImportError):
        return ""  # no font shipped or no fontTools: the font stack below still names the usual CJK fonts
    chars = "".join(sorted(c for c in set(text) if ord(c) > 0x7F and ord(c) in covered))  # set() first: C speed
    if not chars:
        return ""
    woff = base64.b64encode(_subset(chars)).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 400 700; '
            f'src: url(data:font/woff;base64,{woff}) format("woff"); }}')
