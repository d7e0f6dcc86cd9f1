"""`python -m roleplay.schema [--check]`: write (or check) roleplay/schema/scenario.schema.json."""

from __future__ import annotations

import sys

from roleplay.schema import SCENARIO_SCHEMA_PATH, scenario_schema_text


def main(argv: list[str]) -> int:
    text = scenario_schema_text()
    if "--check" in argv:
        current = SCENARIO_SCHEMA_PATH.read_text(encoding="utf-8") if SCENARIO_SCHEMA_PATH.exists() else ""
        if current != text:
            print(f"{SCENARIO_SCHEMA_PATH}: out of date; run `python -m roleplay.schema`", file=sys.stderr)
            return 1
        return 0
    SCENARIO_SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCENARIO_SCHEMA_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
