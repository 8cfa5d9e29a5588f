"""Publish builds of the synthetic archive, one per checkout, for the browser benchmarks.

Layout under the work dir: ``n<COUNT>/content/`` holds the articles (written once from
benchlib.synth, as scripts/bench.py's stand-in articles) and the registry; ``n<COUNT>/<LABEL>/``
is a project root whose ``content/`` is a hard-linked copy of it, built by the checkout
labelled LABEL (its own ``.venv`` and bundled theme). A build is redone only when the
checkout's commit (or its uncommitted changes) differ from the last build's.

A publish build writes absolute URLs, so each label is built for, and later served on, a
fixed local address: ``http://127.0.0.1:<PORT>/REPO/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

from benchlib import project, synth

BASE_PATH = "/REPO/"
SEED = 0


def site_url(port: int) -> str:
    return f"http://127.0.0.1:{port}{BASE_PATH.rstrip('/')}"


def content(work: Path, count: int) -> Path:
    """``n<COUNT>/content``: the articles and registry, generated once."""
    base = work / f"n{count}"
    marker = base / "content.done"
    wanted = f"{project.generator_name('synth')} seed={SEED} count={count}\n"
    folder = base / "content"
    if marker.is_file() and marker.read_text() == wanted:
        return folder
    shutil.rmtree(base, ignore_errors=True)
    staging = base / "staging"
    (staging / "content").mkdir(parents=True)
    project.write_standin_articles(staging, count, SEED)
    synth.write_registry(staging / "content" / "entities.yaml", SEED)
    pages = Path(__file__).resolve().parents[2] / "content" / "pages"
    if pages.is_dir():
        shutil.copytree(pages, staging / "content" / "pages")
    (staging / "content").rename(folder)
    shutil.rmtree(staging)
    marker.write_text(wanted)
    return folder


def checkout_state(checkout: Path) -> str:
    """What a build depends on in the checkout: its committed ``src`` and ``themes`` trees
    and a hash of their uncommitted changes (a commit of docs or scripts changes neither)."""

    def git(*args: str) -> bytes:
        return subprocess.run(
            ["git", "-C", str(checkout), *args], capture_output=True, check=True
        ).stdout

    trees = git("rev-parse", "HEAD:src", "HEAD:themes").decode().split()
    dirty = hashlib.sha256(git("diff", "HEAD", "--", "src", "themes")).hexdigest()[:12]
    return f"{' '.join(trees)} {dirty}\n"


def build(work: Path, count: int, label: str, checkout: Path, port: int) -> tuple[Path, float]:
    """The publish build of *count* articles by *checkout*: (its output folder, seconds).

    Seconds are 0.0 when the last build was of the same checkout state. After a change of
    the checkout the build runs again in place with ``--full`` and without the search
    index's state, so that new code rebuilds both the pages and the index.
    """
    source = content(work, count)
    root = work / f"n{count}" / label
    marker = root / "build.done"
    wanted = f"{checkout_state(checkout)}{site_url(port)}\n"
    if marker.is_file() and marker.read_text() == wanted:
        return root / "output", 0.0
    argv = [str(checkout / ".venv" / "bin" / "python"), "-m", "newsarchive", "build"]
    argv += ["--root", str(root), "-q", "--publish", "--site-url", site_url(port)]
    if (root / "content").is_dir():
        marker.unlink(missing_ok=True)
        shutil.rmtree(root / ".cache" / "newsarchive" / "search-index", ignore_errors=True)
        argv.append("--full")
    else:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        shutil.copytree(source, root / "content", copy_function=os.link)
    began = time.perf_counter()
    subprocess.run(argv, check=True, cwd=root)
    seconds = time.perf_counter() - began
    marker.write_text(wanted)
    return root / "output", seconds
