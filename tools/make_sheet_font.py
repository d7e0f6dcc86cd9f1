"""Build roleplay/core/reports/fonts/NotoSansSC-sheets.otf: the subset of Noto Sans CJK SC that HTML sheets embed.

Source: Debian's fonts-noto-cjk (SIL Open Font License 1.1), e.g. unpacked without installing it:
    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    python tools/make_sheet_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

Kept: GB2312 level 1 (the 3,755 most common hanzi), every character of the shipped scenarios, phrasebook and
sheet vocabulary, ASCII, CJK punctuation and full-width forms. Each sheet then embeds a further subset holding
only the characters it uses (roleplay/core/reports/fonts.py); rarer characters fall back to the system's fonts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "roleplay" / "core" / "reports" / "fonts" / "NotoSansSC-sheets.otf"


def characters() -> set[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    chars |= set("—…‘’“”·•→←↑↓✓✗✔✘≈≥≤×÷°％")
    for hi in range(0xB0, 0xD8):  # GB2312 level 1: rows 16-55
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for folder in ("scenarios", "phrasebook", "roleplay/core/reports", "roleplay/tui"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".yaml", ".yml", ".py"):
                chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable()}


def main(source: str) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and the OFL licence text in the font
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters())))
    subsetter.subset(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {len(font.getGlyphOrder())} glyphs)")


if __name__ == "__main__":
    main(sys.argv[1])
