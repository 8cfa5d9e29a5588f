"""The code base stays lint-clean and formatted (the same checks as `make lint`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).with_name("ruff")
TARGETS = ["src", "tests", "scripts", "pelicanconf.py", "publishconf.py"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(command: list[str]):
    assert RUFF.exists(), "ruff is a dev dependency (make venv)"
    done = subprocess.run(
        [str(RUFF), *command, *TARGETS], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
