"""The core stays headless: importing every roleplay.core module never imports Textual."""

import subprocess
import sys

from tests.conftest import ROOT


def test_core_imports_without_textual():
    code = (
        "import pkgutil, importlib, sys, roleplay.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('roleplay.core.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "print(len(list(pkgutil.iter_modules(c.__path__))))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 5


def test_match_command_does_not_import_textual():
    code = (
        "import sys\nfrom roleplay.cli import main\n"
        "main(['match', '--json', '您好'])\n"
        "sys.exit(1 if 'textual' in sys.modules else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"greeting"' in done.stdout
