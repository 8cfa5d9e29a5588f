"""The Pages workflow: lints clean with actionlint, does what the README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    if not ACTIONLINT.exists():
        pytest.fail(
            f"actionlint missing from the virtualenv ({ACTIONLINT.name}): pip install -e '.[dev]'"
        )
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", "-oneline", str(path)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )


def test_workflow_passes_actionlint() -> None:
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "steps.pages.outputs.base_url",
            "steps.pagez.outputs.base_url",
            'property "pagez" is not defined',
        ),
        (
            "  pages: write",
            "  pages: publish",
            '"publish" is invalid as permission of scope "pages"',
        ),
        ("          path: output", "          paths: output", 'input "paths" is not defined'),
        (
            "    needs: build",
            "    needs: biuld",
            'job "deploy" needs job "biuld" which does not exist',
        ),
        (
            "steps.restore.outputs.cache-primary-key",
            "steps.restore.outputs.primary-key",
            'property "primary-key" is not defined',
        ),
    ],
    ids=[
        "undefined-step",
        "bad-permission",
        "unknown-action-input",
        "unknown-needs",
        "unknown-cache-output",
    ],
)
def test_a_broken_copy_of_the_workflow_fails_actionlint(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new), encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode != 0
    assert message in result.stdout


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _uses(job: dict) -> dict[str, dict]:
    return {step["uses"].split("@")[0]: step for step in job["steps"] if "uses" in step}


def test_triggers_permissions_and_concurrency(workflow: dict) -> None:
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_build_job_builds_for_the_pages_url_checks_then_uploads(workflow: dict) -> None:
    job = workflow["jobs"]["build"]
    uses = _uses(job)
    assert uses["actions/setup-python"]["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }
    assert uses["actions/configure-pages"]["id"] == "pages"
    assert uses["actions/upload-pages-artifact"]["with"] == {"path": "output"}
    runs = [step for step in job["steps"] if "run" in step]
    assert runs[0]["run"].startswith("make publish")
    assert runs[0]["env"] == {"SITEURL": "${{ steps.pages.outputs.base_url }}"}
    assert runs[1]["run"] == ".venv/bin/newsarchive check output"
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in job["steps"]]
    assert order.index(runs[1]["run"]) < order.index("actions/upload-pages-artifact")


def test_deploy_job(workflow: dict) -> None:
    job = workflow["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert _uses(job)["actions/deploy-pages"]["id"] == "deployment"


def test_the_build_starts_from_the_last_build_and_saves_it_before_the_check(
    workflow: dict,
) -> None:
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("uses", step.get("run", "")).split("@")[0] for step in steps]
    restore = steps[names.index("actions/cache/restore")]
    save = steps[names.index("actions/cache/save")]
    build = names.index(next(n for n in names if n.startswith("make publish")))
    check = names.index(".venv/bin/newsarchive check output")
    # restored before the build; saved after it but before the check, so a site the check
    # refuses (too large) still leaves its build for the next push
    assert names.index("actions/cache/restore") < build < names.index("actions/cache/save") < check
    assert restore["with"]["path"].split() == save["with"]["path"].split() == [".cache", "output"]
    key = restore["with"]["key"]
    python = "${{ steps.python.outputs.python-version }}"
    assert python in key and "${{ hashFiles('pyproject.toml') }}" in key
    assert key.endswith("-${{ github.sha }}")  # a new cache entry per commit
    prefixes = restore["with"]["restore-keys"].splitlines()
    assert all(key.startswith(prefix) and python in prefix for prefix in prefixes)
    assert len(prefixes) == 2 and prefixes[0].startswith(prefixes[1])
    assert save["with"]["key"] == "${{ steps.restore.outputs.cache-primary-key }}"
    assert save["if"] == "steps.restore.outputs.cache-hit != 'true'"
    assert _uses(workflow["jobs"]["build"])["actions/setup-python"]["id"] == "python"
