"""The check that output/ is as the last build left it, alone and split with a forked child."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from sitehelpers import record_forks

from newsarchive import outputcheck
from newsarchive.outputcheck import OutputCheck

FILES = [f"{section}/{n:02d}/index.html" for section in ("a", "b", "c") for n in range(10)]


def _stamps(output: Path) -> tuple[dict[str, int], dict[str, list[int]]]:
    folders = {"": output.stat().st_mtime_ns}
    files = {}
    for rel in FILES:
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            folders[folder] = (output / folder).stat().st_mtime_ns
        st = (output / rel).stat()
        files[rel] = [st.st_size, st.st_mtime_ns]
    return dict(sorted(folders.items())), files


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, dict[str, int], dict[str, list[int]]]:
    output = tmp_path / "output"
    for rel in FILES:
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_text(rel, encoding="utf-8")
    return (output, *_stamps(output))


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return record_forks(monkeypatch)


def _check(output: Path, folders, files, *, split: bool = True) -> str | None:
    check = OutputCheck.start(str(output), folders, files, split=split)
    try:
        return check.result()
    finally:
        check.close()


def _tamper(output: Path, rel: str) -> None:
    path = output / rel
    st = path.stat()
    path.write_text("tampered!", encoding="utf-8")  # another size, whatever the clock
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("split", [False, True])
def test_an_untouched_output_passes(tree, forks, split):
    output, folders, files = tree
    assert _check(output, folders, files, split=split) is None
    assert len(forks) == (1 if split else 0)


@pytest.mark.parametrize("share", [0.1, 0.6, 0.95])
@pytest.mark.parametrize(
    "rel", [FILES[0], FILES[len(FILES) // 2], FILES[-1]], ids=["first", "middle", "last"]
)
def test_a_file_edited_in_place_is_found_in_either_part(tree, forks, monkeypatch, share, rel):
    output, folders, files = tree
    monkeypatch.setattr(outputcheck, "CHILD_SHARE", share)
    _tamper(output, rel)
    assert _check(output, folders, files) == f"output/{rel} was changed outside the build"
    assert _check(output, folders, files, split=False) == _check(output, folders, files)
    assert len(forks) == 2


def test_the_first_difference_in_list_order_is_named(tree, forks):
    output, folders, files = tree
    _tamper(output, FILES[1])  # in the child's part
    _tamper(output, FILES[-1])  # in this process's part
    assert _check(output, folders, files) == f"output/{FILES[1]} was changed outside the build"


def test_a_stray_file_and_a_missing_folder_are_found(tree, forks):
    output, folders, files = tree
    (output / "c" / "09" / "stray.html").write_text("not ours", encoding="utf-8")
    assert _check(output, folders, files) == "output/c/09 holds files the build did not write"
    (output / "c" / "09" / "stray.html").unlink()
    (output / "c" / "09" / "index.html").unlink()
    (output / "c" / "09").rmdir()
    # its parent's new mtime would be named first: record that one as it is now
    folders = {f: m if f == "c/09" else (output / f).stat().st_mtime_ns for f, m in folders.items()}
    assert _check(output, folders, files) == "output/c/09 is missing"


def test_a_child_that_dies_fails_the_check(tree, forks, monkeypatch):
    output, folders, files = tree
    parent = os.getpid()
    real = outputcheck.first_difference

    def killed_in_child(*args):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)

    monkeypatch.setattr(outputcheck, "first_difference", killed_in_child)
    assert _check(output, folders, files) == "the check of output/ failed in its child process"


def test_close_stops_and_reaps_an_unwanted_child(tree, forks):
    output, folders, files = tree
    check = OutputCheck.start(str(output), folders, files)
    check.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # already reaped: no zombie left
    check.close()  # twice is harmless


def test_no_fork_while_another_thread_runs(tree, forks):
    output, folders, files = tree
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        _tamper(output, FILES[0])
        assert _check(output, folders, files) == f"output/{FILES[0]} was changed outside the build"
    finally:
        stop.set()
        other.join()
    assert forks == []


def test_small_outputs_are_checked_without_a_fork(tree, monkeypatch):
    output, folders, files = tree
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked for 40 stat calls"))
    assert len(folders) + len(files) < outputcheck.MIN_SPLIT
    assert _check(output, folders, files) is None


@pytest.mark.parametrize("share", [0.3, 0.6])
def test_every_folder_and_file_is_checked_by_one_side_or_the_other(tree, forks, monkeypatch, share):
    output, folders, files = tree
    monkeypatch.setattr(outputcheck, "CHILD_SHARE", share)
    for folder in folders:
        wrong = {**folders, folder: folders[folder] + 1}
        assert (
            _check(output, wrong, files) == f"output/{folder} holds files the build did not write"
        )
    for rel in files:
        wrong_files = {**files, rel: [files[rel][0] + 1, files[rel][1]]}
        assert _check(output, folders, wrong_files) == f"output/{rel} was changed outside the build"
    assert len(forks) == len(folders) + len(files)
