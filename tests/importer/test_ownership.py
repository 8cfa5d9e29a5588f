"""Writers' edits are never lost: ownership by bytes, lost manifests, interrupted imports,
--force copies, duplicates, deleted and renamed dumps, temporary files of killed runs."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from import_helpers import Project, split_article

from newsarchive import cli
from newsarchive.importer import ImportOptions
from newsarchive.importer.pipeline import Importer
from newsarchive.importer.state import ImportState

MANIFEST = Path("content") / ".import-state.json"


def _manifest(project: Project) -> dict:
    return json.loads((project.root / MANIFEST).read_text(encoding="utf-8"))


def _edit(path: Path, old: str = "둘째 문단입니다.", new: str = "기자가 고친 문장.") -> bytes:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path.read_bytes()


def _import(root: Path, *args: str) -> int:
    return cli.main(["import", "--root", str(root), "--no-entities", "--no-progress", *args])


class _Killed(BaseException):
    """Stands for kill -9 right before the manifest is saved (not an Exception: nothing
    in the importer may catch it)."""


def _import_killed_before_the_manifest(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(self: ImportState) -> None:
        raise _Killed

    with monkeypatch.context() as patch:
        patch.setattr(ImportState, "save", killed)
        with pytest.raises(_Killed):
            project.run()


# --------------------------------------------------------------------------- item 1


def test_a_lost_manifest_never_adopts_an_edit(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    """The issue's reproduction: edit, delete the manifest, import, change the dump,
    import: the edit used to be adopted, then silently overwritten."""
    raw = project.dump("a.txt", basic_dump())
    project.run()
    article = project.only_article()
    edited = _edit(article)
    (project.root / MANIFEST).unlink()
    report = project.run()
    assert not report.ok and report.unchanged == []
    assert report.conflicts == [
        (
            "content/raw/a.txt",
            f"conflict: {article.relative_to(project.root).as_posix()} names this dump but is "
            "not what the importer writes for it, and no import manifest records it: it is "
            "kept as a writer's edit (--force replaces it, keeping a copy)",
        )
    ]
    assert article.read_bytes() == edited
    # the dump changes: the edit is protected like any other
    raw.write_text(basic_dump(**{"첫 문단입니다.": "새 첫 문단."}), encoding="utf-8")
    report = project.run()
    assert report.imported == [] and report.conflicts[0][0] == "content/raw/a.txt"
    assert "edited since the last import" in report.conflicts[0][1]
    assert article.read_bytes() == edited


def test_a_lost_manifest_adopts_the_importers_own_files_by_bytes(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    project.dump("b.txt", basic_dump("다른 기사"))
    project.run()
    recorded = _manifest(project)
    (project.root / MANIFEST).unlink()
    report = project.run()
    assert report.ok and sorted(report.unchanged) == ["content/raw/a.txt", "content/raw/b.txt"]
    assert _manifest(project) == recorded


def test_an_import_killed_before_its_manifest_keeps_edits_made_meanwhile(
    project: Project, basic_dump: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first import killed after writing every article: a writer edits one, the rerun
    keeps the edit and ends with the manifest an uninterrupted import writes."""
    for name in ("a", "b", "c"):
        project.dump(f"{name}.txt", basic_dump(f"기사 {name}"))
    reference = Project(project.root.parent / "reference")
    for dump in sorted(project.raw.iterdir()):
        reference.dump(dump.name, dump.read_bytes())
    reference.run()

    _import_killed_before_the_manifest(project, monkeypatch)
    assert not (project.root / MANIFEST).exists() and len(project.articles_written()) == 3
    edited_path = project.articles / "2024" / "기사-b.md"
    edited = _edit(edited_path)
    report = project.run()
    assert [display for display, _ in report.conflicts] == ["content/raw/b.txt"]
    assert sorted(report.unchanged) == ["content/raw/a.txt", "content/raw/c.txt"]
    assert edited_path.read_bytes() == edited
    assert _manifest(project) == _manifest(reference)
    # from now on the edit is an ordinary one: kept, and no longer reported
    assert project.run().ok and edited_path.read_bytes() == edited


def test_a_reimport_killed_after_rewriting_is_no_conflict(
    project: Project, basic_dump: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed dump's article was rewritten, the manifest not saved: the rewritten file
    is the importer's own (no false conflict), and an edit made to it meanwhile stands."""
    raw = project.dump("a.txt", basic_dump())
    project.dump("b.txt", basic_dump("다른 기사"))
    project.run()
    changed = basic_dump(**{"첫 문단입니다.": "새 첫 문단."})
    raw.write_text(changed, encoding="utf-8")
    reference = Project(project.root.parent / "reference")
    reference.dump("a.txt", changed)
    reference.dump("b.txt", basic_dump("다른 기사"))
    reference.run()

    _import_killed_before_the_manifest(project, monkeypatch)
    article = project.articles / "2024" / "광장에-모인-시민들.md"
    assert "새 첫 문단." in article.read_text(encoding="utf-8")
    report = project.run()
    assert report.ok and report.unchanged == ["content/raw/a.txt", "content/raw/b.txt"]
    assert _manifest(project) == _manifest(reference)

    raw.write_text(basic_dump(**{"첫 문단입니다.": "더 새 첫 문단."}), encoding="utf-8")
    _import_killed_before_the_manifest(project, monkeypatch)
    edited = _edit(article)  # the writer edits the rewritten article
    report = project.run()
    assert report.ok and report.imported == [] and article.read_bytes() == edited


# --------------------------------------------------------------------------- item 2


def test_force_names_the_edit_it_replaces_and_keeps_its_text(
    project: Project, basic_dump: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    assert _import(project.root) == 0
    article = project.only_article()
    edited = _edit(article)
    raw.write_text(basic_dump(**{"첫 문단입니다.": "새 첫 문단."}), encoding="utf-8")
    capsys.readouterr()
    assert _import(project.root, "--force", "-q") == 0
    _, err = capsys.readouterr()
    backups = sorted((project.root / "content" / "replaced").rglob("*"))
    assert [p.relative_to(project.root).as_posix() for p in backups if p.is_file()] == [
        f"content/replaced/2024/광장에-모인-시민들.{__import__('hashlib').sha256(edited).hexdigest()[:12]}.md"
    ]
    backup = next(p for p in backups if p.is_file())
    assert backup.read_bytes() == edited
    assert err.splitlines() == [
        "content/raw/a.txt: --force replaced content/articles/2024/광장에-모인-시민들.md, which "
        f"a writer had edited; the edited text is kept in {backup.relative_to(project.root)}"
    ]
    assert "새 첫 문단." in article.read_text(encoding="utf-8")
    # `make clean` removes output/ and the caches: the copy is in neither
    assert not backup.is_relative_to(project.root / ".cache")
    assert not backup.is_relative_to(project.root / "output")
    # an unedited article replaced by --force is no edit: no copy, no line
    raw.write_text(basic_dump(**{"첫 문단입니다.": "또 새 첫 문단."}), encoding="utf-8")
    assert _import(project.root, "--force") == 0
    out, err = capsys.readouterr()
    assert out == "imported 1, unchanged 0, skipped 0, failed 0\n" and "replaced" not in err
    assert len([p for p in backups if p.is_file()]) == 1


def test_force_after_a_lost_manifest_keeps_the_edit_too(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    project.run()
    edited = _edit(project.only_article())
    (project.root / MANIFEST).unlink()
    report = project.run(force=True)
    assert report.ok and len(report.replaced) == 1 and len(report.backups) == 1
    assert report.backups[0].read_bytes() == edited
    assert "기자가 고친 문장." not in project.only_article().read_text(encoding="utf-8")


def test_a_file_saved_while_the_import_runs_is_not_overwritten(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    project.run()
    raw.write_text(basic_dump(**{"첫 문단입니다.": "새 첫 문단."}), encoding="utf-8")
    importer = Importer(project.settings, ImportOptions(extract_entities=False, jobs=1))
    importer.plan(None)  # plans to rewrite the (unedited) article
    saved = _edit(project.only_article())  # a writer saves between plan and write
    importer.write()
    assert importer.report.imported == []
    assert importer.report.conflicts == [
        (
            "content/raw/a.txt",
            "conflict: content/articles/2024/광장에-모인-시민들.md changed while this import "
            "ran; it is left as it is (import again)",
        )
    ]
    assert project.only_article().read_bytes() == saved


# --------------------------------------------------------------------------- item 9


def test_byte_identical_dumps_are_imported_once(
    project: Project, basic_dump: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    project.dump("a.txt", basic_dump())
    project.dump("copy-of-a.txt", basic_dump())
    assert _import(project.root) == 0
    out, err = capsys.readouterr()
    assert len(project.articles_written()) == 1
    assert out == "imported 1, unchanged 0, skipped 0, failed 0, duplicates 1\n"
    assert err.splitlines() == [
        "content/raw/copy-of-a.txt: duplicate: the same bytes as content/raw/a.txt "
        "(its article: content/articles/2024/광장에-모인-시민들.md); not imported a second "
        "time (delete one of the two dumps)"
    ]
    # a later copy of an imported dump, too
    project.dump("zz-later.txt", basic_dump())
    report = project.run()
    assert [d for d, _ in report.duplicates] == [
        "content/raw/copy-of-a.txt",
        "content/raw/zz-later.txt",
    ]
    assert len(project.articles_written()) == 1 and report.ok


# --------------------------------------------------------------------------- item 12


def test_temporary_files_of_killed_imports_are_removed_and_nothing_else(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    project.run()
    year = project.articles / "2024"
    ours = [
        year / ".광장에-모인-시민들.md.k2x_9q0a.tmp",
        year / ".never-renamed.md.abcdefgh.tmp",
        project.root / "content" / "..import-state.json.0a1b2c3d.tmp",  # a hidden file's
    ]
    theirs = [
        year / "notes.tmp",
        year / ".광장에-모인-시민들.md.tmp",  # an editor's, not atomic_write's pattern
        year / "draft.md.abcdefgh.tmp",  # no leading dot
        year / ".draft.md.ABCDEFGH.tmp",  # mkstemp uses lowercase letters only
        project.root / "content" / ".entities.yaml.abcdefgh.tmp",  # not the importer's
        project.raw / ".a.txt.abcdefgh.tmp",
    ]
    for path in ours + theirs:
        path.write_text("임시", encoding="utf-8")
    report = project.run()
    assert sorted(report.temps_removed) == sorted(ours)
    assert [p.exists() for p in ours] == [False] * len(ours)
    assert [p.exists() for p in theirs] == [True] * len(theirs)


def test_a_deleted_dump_is_reported_and_its_article_kept(
    project: Project, basic_dump: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    project.dump("b.txt", basic_dump("다른 기사"))
    _import(project.root)
    article = project.articles / "2024" / "광장에-모인-시민들.md"
    before = article.read_bytes()
    raw.unlink()
    capsys.readouterr()
    assert _import(project.root) == 0
    out, err = capsys.readouterr()
    assert out == "imported 0, unchanged 1, skipped 0, failed 0, deleted dumps 1\n"
    assert err.splitlines() == [
        "content/raw/a.txt: the dump was deleted; its article "
        "content/articles/2024/광장에-모인-시민들.md is kept and belongs to the writers now "
        "(the import manifest forgets the dump)"
    ]
    assert article.read_bytes() == before
    assert list(_manifest(project)["articles"]) == ["content/raw/b.txt"]
    assert _import(project.root) == 0  # reported once
    assert capsys.readouterr().out == "imported 0, unchanged 1, skipped 0, failed 0\n"


def test_a_renamed_dump_takes_its_article_along(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    project.run()
    article = project.only_article()
    (project.raw / "2024").mkdir()
    raw.rename(project.raw / "2024" / "a.txt")
    report = project.run()
    assert report.renamed == [
        (
            "content/raw/2024/a.txt",
            "renamed from content/raw/a.txt: its article "
            "content/articles/2024/광장에-모인-시민들.md follows it",
        )
    ]
    assert project.only_article() == article  # same slug, same URL, no second article
    assert split_article(article)[0]["raw"] == "content/raw/2024/a.txt"
    assert list(_manifest(project)["articles"]) == ["content/raw/2024/a.txt"]
    assert project.run().unchanged == ["content/raw/2024/a.txt"]


def test_a_second_import_waits_for_the_first(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    """Stale temporary files are removed only under the lock: a running import's are not."""
    from newsarchive.importer.lock import import_lock

    project.dump("a.txt", basic_dump())
    in_flight = project.articles / "2024" / ".광장에-모인-시민들.md.inflight.tmp"
    done = threading.Event()
    with import_lock(project.root / "content"):  # another import is running
        in_flight.parent.mkdir(parents=True)
        in_flight.write_text("쓰는 중", encoding="utf-8")
        worker = threading.Thread(target=lambda: (project.run(), done.set()))
        worker.start()
        assert not done.wait(0.5)  # it waits...
        assert in_flight.exists() and project.articles_written() == []
    worker.join(30)
    assert done.is_set() and len(project.articles_written()) == 1  # ...then runs


def test_the_seed_dump_can_be_edited_lost_and_forced(tmp_path: Path) -> None:
    """The whole story on the seed, through the command: nothing a writer typed is lost."""
    from import_helpers import SEED_RAW

    project = Project(tmp_path / "site")
    shutil.copy(SEED_RAW, project.raw / SEED_RAW.name)
    assert _import(project.root) == 0
    article = project.only_article()
    edited = _edit(article, "LG전자", "엘지전자")
    (project.root / MANIFEST).unlink()
    assert _import(project.root) == 1
    assert article.read_bytes() == edited
    assert _import(project.root, "--force") == 0
    kept = list((project.root / "content" / "replaced").rglob("*.md"))
    assert [p.read_bytes() for p in kept] == [edited]


def test_a_move_never_overwrites_another_file(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    """The dump's date changes year; a writer's file already has the new path."""
    raw = project.dump("a.txt", basic_dump())
    project.run()
    squatter = project.articles / "2025" / "광장에-모인-시민들.md"
    squatter.parent.mkdir()
    squatter.write_text("---\ntitle: 다른 기사\n---\n\n작가의 글.\n", encoding="utf-8")
    raw.write_text(basic_dump().replace("2024.06.08 (토)", "2025.01.02 (목)"), encoding="utf-8")
    report = project.run(force=True)
    assert report.imported == [] and "holds another file" in report.conflicts[0][1]
    assert squatter.read_text(encoding="utf-8").endswith("작가의 글.\n")
    assert (project.articles / "2024" / "광장에-모인-시민들.md").exists()


def test_an_article_with_broken_yaml_is_still_its_dumps(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    """A lost manifest, and a writer broke the front matter: no second article appears."""
    project.dump("a.txt", basic_dump())
    project.run()
    article = project.only_article()
    broken = _edit(article, "section: 사회", "section: [사회")
    (project.root / MANIFEST).unlink()
    report = project.run()
    assert [display for display, _ in report.conflicts] == ["content/raw/a.txt"]
    assert project.articles_written() == [article] and article.read_bytes() == broken
