"""The one entry point (`roleplay`, `python -m roleplay`): a thin dispatcher over roleplay.commands.

Each subcommand lives in its own module under roleplay/commands/ with `register(subparsers)` and
`run(args) -> int`. Modules are imported lazily so headless commands never import Textual.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> module under roleplay.commands (one line per command; order is the help order)
COMMANDS = {
    "match": "match",
    "validate": "validate",
    "calibrate": "calibrate",
    "session": "session",
    "roster": "roster",
    "report": "report",
    "verify": "verify",
    "rescore": "rescore",
    "list": "list",
    "play": "play",
    "test": "test",
    "graph": "graph",
    "tui": "tui",
    "serve": "serve",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Offline role-play trainer for customer managers. Without a command, opens the TUI.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        importlib.import_module(f"roleplay.commands.{module}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Parse only the command name first so `roleplay match` imports just what it needs.
    if argv and argv[0] in COMMANDS:
        parser = argparse.ArgumentParser(prog="roleplay")
        sub = parser.add_subparsers(dest="command")
        module = importlib.import_module(f"roleplay.commands.{COMMANDS[argv[0]]}")
        module.register(sub)
        args = parser.parse_args(argv)
        return _run(module, args)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        module = importlib.import_module("roleplay.commands.tui")
        return _run(module, args)
    return _run(importlib.import_module(f"roleplay.commands.{COMMANDS[args.command]}"), args)


def _run(module, args) -> int:
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `roleplay match ... | head`
        return 0
