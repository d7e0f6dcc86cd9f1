"""A built (non-editable) wheel carries the shipped content and finds it from any folder."""

import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return next(out.glob("roleplay-*.whl"))


def test_wheel_contains_content(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "phrasebook").rglob("*.yaml"))
    shipped += sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scenarios").rglob("*.yaml"))
    assert shipped
    for rel in shipped:
        assert f"roleplay/_content/{rel}" in names
    # the Chinese font HTML sheets embed, with its licence (SIL OFL 1.1)
    assert {"roleplay/core/reports/fonts/NotoSansSC-sheets.otf", "roleplay/core/reports/fonts/OFL.txt"} <= set(names)
    size = zipfile.ZipFile(wheel).getinfo("roleplay/core/reports/fonts/NotoSansSC-sheets.otf").compress_size
    assert size < 2_000_000, "the sheet font subset grew: keep the wheel small (tools/make_sheet_font.py)"
    # the trained taboo scorer's weights ship with the matcher
    assert {"roleplay/core/matching/data/taboo_zh.json", "roleplay/core/matching/data/taboo_en.json"} <= set(names)


def test_installed_wheel_finds_content_from_elsewhere(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    env = dict(os.environ, PYTHONPATH=str(target))
    code = "import json, roleplay.core.settings as p; print(json.dumps(str(p.content_root())))"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout).startswith(str(target))
    done = subprocess.run([sys.executable, "-m", "roleplay", "match", "--json", "您好"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "greeting" in json.loads(done.stdout)["labels"]
