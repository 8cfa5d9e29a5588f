"""A small ``kill -9`` sweep through the real command (scripts/kill_sweep_import.py prints the
full one: 1,500 dumps, 20 kills)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "kill_sweep_import.py"
TRIAL = re.compile(r"^\s+\d+ (?:first import|re-import) ")


@pytest.mark.slow
def test_imports_killed_at_random_moments_lose_no_edit(tmp_path: Path) -> None:
    work = ["--work", str(tmp_path / "work")]
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--dumps", "120", "--kills", "5", "--seed", "11", *work],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    trials = [line for line in lines if TRIAL.match(line)]
    assert len(trials) == 5, result.stdout
    for line in trials:
        edits, kept = line.split()[7:9] if "re-import" in line else line.split()[8:10]
        assert edits == kept, line
        assert " equal     equal   as expected " in line, line
        later = line.split()[-1].split("/")
        assert later[0] == later[1], line
    assert "temporary files left 0, manifests equal 5/5" in lines[-1], result.stdout
