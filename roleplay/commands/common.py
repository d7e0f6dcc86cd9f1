"""Helpers shared by subcommands: loading content with located errors printed, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

from roleplay.core.content.problems import ContentError


def print_problems(error: ContentError, stream=None) -> int:
    """Print each problem as `path:line:col: message` on stderr; returns exit code 1."""
    stream = stream or sys.stderr
    for problem in error.problems:
        print(problem, file=stream)
    return 1


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False)


def add_phrasebook_option(parser) -> None:
    parser.add_argument(
        "--phrasebook", action="append", metavar="PATH",
        help="phrasebook file or folder (repeatable); default: the shipped phrasebook")


def load_phrasebook_arg(args):
    from roleplay.core.phrasebook.book import load_phrasebook

    return load_phrasebook(*(args.phrasebook or []))
