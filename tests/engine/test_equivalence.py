"""Any sequence of edits, built incrementally, gives the bytes a cold build gives.

Random sequences of the edits writers and editors make (body, first paragraph, title,
date, section, people, new, renamed, deleted and broken articles, drafts, the registry,
a template, CSS, a setting) are applied to the fixture site and to a generated site of 300
articles. After each step the site is built incrementally, through ``newsarchive build``
or through a running ``newsarchive serve``, and its whole output folder is compared,
file by file, with a build of the same sources from nothing.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sites import EDIT_KINDS, apply_edit, cold_tree, fixture_site, generated_site, tree

from newsarchive.cli import main

pytestmark = pytest.mark.slow

edits = st.lists(
    st.tuples(st.sampled_from(EDIT_KINDS), st.integers(0, 10_000), st.integers(0, 10_000)),
    min_size=1,
    max_size=5,
)


def hypothesis(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def _sources(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.relative_to(root).parts[0] not in ("output", ".cache"):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _check_cli(root: Path, scratch: Path, steps: list[tuple[str, int, int]]) -> None:
    main(["build", "--root", str(root), "-q"])
    done = []
    for kind, pick, value in steps:
        done.append(apply_edit(root, kind, pick, value))
        main(["build", "--root", str(root), "-q"])
        expected, _error = cold_tree(root, scratch)
        assert tree(root / "output") == expected, done


@hypothesis(12)
@given(steps=edits)
def test_cli_on_the_fixture_site(tmp_path_factory: pytest.TempPathFactory, steps):
    work = tmp_path_factory.mktemp("equivalence")
    _check_cli(fixture_site(work / "site"), work / "cold", steps)


@hypothesis(3)
@given(steps=edits)
def test_cli_on_a_generated_site(tmp_path_factory: pytest.TempPathFactory, steps):
    work = tmp_path_factory.mktemp("generated")
    _check_cli(generated_site(work / "site", 300), work / "cold", steps)


@hypothesis(6)
@given(steps=edits)
def test_serve_on_the_fixture_site(tmp_path_factory: pytest.TempPathFactory, steps):
    import threading

    from newsarchive.config import load_settings
    from newsarchive.devserver import LiveSession
    from newsarchive.devserver.sitebuild import SiteBuilder

    work = tmp_path_factory.mktemp("serve")
    root = fixture_site(work / "site")
    main(["build", "--root", str(root), "-q"])  # serve starts from a built site
    settings_ = load_settings(root)
    lock = threading.RLock()
    builder = SiteBuilder(settings_, lock, importer=lambda _s, _d: ([], []))
    session = LiveSession(settings_, builder, site_lock=lock, delay=0.05, poll_timeout=5)
    assert session.start(initial_build=True) or session.hub.failure
    try:
        done = []
        for kind, pick, value in steps:
            before = _sources(root)
            epoch = session.hub.epoch
            done.append(apply_edit(root, kind, pick, value))
            if _sources(root) != before:
                deadline = time.monotonic() + 60
                while session.hub.epoch == epoch and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert session.hub.epoch != epoch, f"no rebuild after {done}"
            assert session.wait_idle(timeout=60, deferred=False)
            expected, _error = cold_tree(root, work / "cold")
            assert tree(root / "output") == expected, done
    finally:
        session.stop()
