"""Allows `python -m roleplay`."""

from roleplay.cli import main

raise SystemExit(main())
