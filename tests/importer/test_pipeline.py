"""Import runs: idempotence, writer safety (conflicts, --force, deletions), slugs, manifest."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from import_helpers import Project, split_article

from newsarchive.config import load_settings
from newsarchive.errors import ConfigError
from newsarchive.importer import ImportOptions, run_import
from newsarchive.importer.state import ImportState


def _snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_reimport_of_unchanged_dumps_writes_nothing(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    assert len(project.run().imported) == 1
    before = _snapshot(project.root)
    report = project.run()
    assert (report.imported, report.unchanged, report.written) == ([], ["content/raw/a.txt"], [])
    assert _snapshot(project.root) == before  # same bytes and same mtimes, manifest included


def test_changed_dump_rewrites_an_unedited_article_in_place(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    project.run()
    path = project.only_article()
    raw.write_text(basic_dump(**{"둘째 문단입니다.": "고친 둘째 문단입니다."}), encoding="utf-8")
    report = project.run()
    assert report.imported == ["content/raw/a.txt"]
    assert project.only_article() == path  # same slug, same file
    assert "고친 둘째 문단입니다." in path.read_text(encoding="utf-8")


def test_writer_edit_then_changed_dump_is_a_conflict_and_the_edit_stays(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    project.run()
    path = project.only_article()
    edited = path.read_text(encoding="utf-8").replace("둘째 문단입니다.", "기자가 고친 문장.")
    path.write_text(edited, encoding="utf-8")
    # an edit alone is respected: the dump did not change
    assert project.run().unchanged == ["content/raw/a.txt"]
    raw.write_text(basic_dump(**{"첫 문단입니다.": "새 첫 문단."}), encoding="utf-8")
    report = project.run()
    assert not report.ok and report.imported == []
    assert report.conflicts[0][0] == "content/raw/a.txt"
    assert "edited" in report.conflicts[0][1] and "--force" in report.conflicts[0][1]
    assert path.read_text(encoding="utf-8") == edited
    forced = project.run(force=True)
    assert forced.ok and forced.imported == ["content/raw/a.txt"]
    text = path.read_text(encoding="utf-8")
    assert "새 첫 문단." in text and "기자가 고친 문장." not in text
    assert project.run().unchanged == ["content/raw/a.txt"]  # the manifest follows --force


def test_deleted_article_is_not_recreated_without_force(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    project.run()
    path = project.only_article()
    path.unlink()
    report = project.run()
    assert report.ok and not path.exists()
    assert report.skipped and "deleted" in report.skipped[0][1]
    assert project.run(force=True).imported == ["content/raw/a.txt"]
    assert path.exists()


def test_same_headline_on_two_days_gives_two_files_and_stable_slugs(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("later.txt", basic_dump().replace("2024.06.08 (토)", "2024.07.01 (월)"))
    project.dump("earlier.txt", basic_dump())
    project.dump("third.txt", basic_dump().replace("2024.06.08 (토)", "2024.07.01 (월)") + "추가\n")
    report = project.run()
    assert len(report.imported) == 3
    slugs = {}
    for path in project.articles_written():
        meta, _ = split_article(path)
        slugs[meta["raw"]] = meta["slug"]
        assert path.stem == meta["slug"]
    assert slugs == {
        "content/raw/earlier.txt": "광장에-모인-시민들",  # oldest keeps the plain slug
        "content/raw/later.txt": "광장에-모인-시민들-0701",
        "content/raw/third.txt": "광장에-모인-시민들-0701-2",
    }
    # a new dump with the same headline never takes over an assigned slug
    project.dump("zzz.txt", basic_dump().replace("2024.06.08 (토)", "2023.01.01 (일)"))
    project.run()
    state = ImportState.load(project.root / "content" / ".import-state.json")
    assert state.entries["content/raw/zzz.txt"].slug == "광장에-모인-시민들-0101"
    assert state.entries["content/raw/earlier.txt"].slug == "광장에-모인-시민들"


def test_slug_max_length_cuts_new_slugs_and_keeps_given_ones(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    """A size lever (issue 14): new articles get slugs cut at a word boundary; an article
    that has one keeps it, and so its URL."""
    long = basic_dump(title="광장에 모인 시민들 새해 소망 나눠")
    project.dump("given.txt", long)
    project.run()
    project.settings = load_settings(project.root, overrides={"slug_max_length": 10})
    project.dump("new.txt", long.replace("2024.06.08 (토)", "2024.07.01 (월)"))
    report = project.run()
    assert len(report.imported) == 1
    state = ImportState.load(project.root / "content" / ".import-state.json")
    assert state.entries["content/raw/given.txt"].slug == "광장에-모인-시민들-새해-소망-나눠"
    assert state.entries["content/raw/new.txt"].slug == "광장에-모인"
    with pytest.raises(ConfigError, match="slug_max_length"):
        load_settings(project.root, overrides={"slug_max_length": 9})


def test_manifest_is_sorted_and_records_hashes(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("b.txt", basic_dump("둘"))
    project.dump("a.txt", basic_dump("하나"))
    project.run()
    manifest = project.root / "content" / ".import-state.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert list(data["articles"]) == ["content/raw/a.txt", "content/raw/b.txt"]
    entry = data["articles"]["content/raw/a.txt"]
    assert entry["output"] == "content/articles/2024/하나.md"
    import hashlib

    written = (project.root / entry["output"]).read_bytes()
    assert entry["md_sha256"] == hashlib.sha256(written).hexdigest()
    assert (
        manifest.read_text(encoding="utf-8")
        == json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    )


def test_lost_manifest_adopts_articles_instead_of_duplicating(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    project.run()
    (project.root / "content" / ".import-state.json").unlink()
    report = project.run()
    assert report.unchanged == ["content/raw/a.txt"] and len(project.articles_written()) == 1
    assert (project.root / "content" / ".import-state.json").exists()


def test_changed_date_moves_the_article_to_its_new_year(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    project.run()
    old = project.only_article()
    raw.write_text(basic_dump().replace("2024.06.08 (토)", "2025.01.02 (목)"), encoding="utf-8")
    project.run()
    new = project.only_article()
    assert new.parent.name == "2025" and new.name == old.name and not old.exists()


def test_failures_are_reported_while_the_rest_imports(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("good.txt", basic_dump())
    project.dump("empty.txt", b"")
    project.dump("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    project.dump("truncated.txt", "2024.06.08 (토)\n\n  • 흐림동두천 22.8℃\n")
    report = project.run()
    assert report.imported == ["content/raw/good.txt"]
    assert dict(report.failed) == {
        "content/raw/binary.txt": "binary file (NUL bytes), not a text dump",
        "content/raw/empty.txt": "empty file",
        "content/raw/truncated.txt": "truncated: no headline after the page header",
    }
    assert not report.ok


def test_files_and_folders_as_arguments_and_a_dump_outside_the_project(
    project: Project, basic_dump: Callable[..., str], tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "nested" / ".hidden").mkdir(parents=True)
    (outside / "nested" / "x.txt").write_text(basic_dump("밖의 기사"), encoding="utf-8")
    (outside / "nested" / ".hidden" / "y.txt").write_text(basic_dump("숨은 기사"), encoding="utf-8")
    (outside / "notes.md").write_text("not a dump", encoding="utf-8")
    report = project.run([outside])
    assert report.imported == [str(outside / "nested" / "x.txt")]
    meta, _ = split_article(project.only_article())
    assert meta["raw"] == "x.txt"  # no machine path leaks into the article
    assert project.only_article().is_relative_to(project.articles)
    assert project.run([outside / "nested" / "x.txt"]).unchanged  # known by file name


def test_nonexistent_path_fails_cleanly(project: Project) -> None:
    report = project.run([project.root / "missing.txt"])
    assert report.failed == [(str(project.root / "missing.txt"), "no such file or folder")]


def test_parallel_and_serial_imports_write_identical_files(
    tmp_path: Path, basic_dump: Callable[..., str]
) -> None:
    results = []
    for name, jobs in (("serial", 1), ("parallel", 2)):
        project = Project(tmp_path / name)
        for i in range(6):
            # the same headline on the same day: slugs collide (the dumps differ, or they
            # would be duplicates)
            body = {"둘째 문단입니다.": f"둘째 문단 {i}."}
            project.dump(f"{i}.txt", basic_dump("같은 제목" if i % 2 else f"제목 {i}", **body))
        report = run_import(
            project.settings, None, ImportOptions(extract_entities=False, jobs=jobs, progress=False)
        )
        assert len(report.imported) == 6
        results.append(
            {
                p.relative_to(project.root).as_posix(): p.read_bytes()
                for p in project.root.rglob("*")
                if p.is_file()
            }
        )
    assert results[0] == results[1]


def make_fake_extractor() -> object:
    """Stands in for newsarchive.entities.extract.Extractor (module level: picklable)."""
    from newsarchive.model import Person

    class Result:
        people = (Person("조주완", "CEO"),)
        companies = ("LG전자",)
        topics = ("인공지능",)
        candidates = ()

    class Fake:
        def extract(self, *, title, paragraphs, byline_name, outlet, source):
            assert paragraphs and isinstance(title, str)
            return Result()

    return Fake()


def make_broken_extractor() -> object:
    class Broken:
        def extract(self, **kwargs: object) -> object:
            raise RuntimeError("model missing")

    return Broken()


def test_injected_extractor_fills_entities(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    report = project.run(extract_entities=True, extractor_factory=make_fake_extractor)
    assert report.entities
    meta, _ = split_article(project.only_article())
    assert meta["people"] == [{"name": "조주완", "role": "CEO"}]
    assert (meta["companies"], meta["topics"]) == (["LG전자"], ["인공지능"])


def test_articles_imported_without_entities_are_refreshed_once_extraction_exists(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    project.dump("a.txt", basic_dump())
    project.run(extract_entities=False)
    assert split_article(project.only_article())[0]["people"] == []
    report = project.run(extract_entities=True, extractor_factory=make_fake_extractor)
    assert report.imported == ["content/raw/a.txt"]
    assert split_article(project.only_article())[0]["companies"] == ["LG전자"]
    assert project.run(extract_entities=True, extractor_factory=make_fake_extractor).unchanged


def test_extraction_errors_name_the_dump(project: Project, basic_dump: Callable[..., str]) -> None:
    project.dump("a.txt", basic_dump())
    report = project.run(extract_entities=True, extractor_factory=make_broken_extractor)
    assert report.failed == [
        ("content/raw/a.txt", "entity extraction failed: RuntimeError('model missing')")
    ]
    assert project.articles_written() == []


def test_symlinked_year_folder_cannot_redirect_writes(
    project: Project, basic_dump: Callable[..., str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project.articles.mkdir(parents=True)
    os.symlink(elsewhere, project.articles / "2024")
    project.dump("a.txt", basic_dump())
    import pytest

    from newsarchive.errors import ImportFailed

    with pytest.raises(ImportFailed, match="refusing to write outside"):
        project.run()
    assert list(elsewhere.iterdir()) == []


def test_cp949_crlf_dump_imports_end_to_end(
    project: Project, basic_dump: Callable[..., str]
) -> None:
    text = basic_dump().replace("•", "·").replace("\u00a0", " ")
    text = text.replace("배너", "<저작권자 ⓒ 시사미래신문 무단전재 및 재배포 금지>\n\n배너")
    project.dump("k.txt", text.replace("\n", "\r\n").encode("cp949"))
    report = project.run()
    assert report.imported == ["content/raw/k.txt"]
    meta, body = split_article(project.only_article())
    assert meta["title"] == "광장에 모인 시민들" and meta["section"] == "사회"
    assert [(s["name"], s["condition"], s["temp_c"]) for s in meta["weather"]["stations"]] == [
        ("동두천", "흐림", 22.8),
        ("서울", None, 24.1),
        ("철원", "맑음", -3.5),
    ]
    assert body == "첫 문단입니다. 시민들이 광장에 모였다.\n\n둘째 문단입니다.\n"
    assert "\r" not in project.only_article().read_text(encoding="utf-8")


def test_a_tampered_manifest_cannot_steer_writes_or_deletions(
    project: Project, basic_dump: Callable[..., str], tmp_path: Path
) -> None:
    raw = project.dump("a.txt", basic_dump())
    project.run()
    victim = tmp_path / "victim.md"
    victim.write_text("keep me", encoding="utf-8")
    manifest = project.root / "content" / ".import-state.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    entry = data["articles"]["content/raw/a.txt"]
    entry["output"] = os.path.relpath(victim, project.root)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    raw.write_text(basic_dump().replace("2024.06.08 (토)", "2025.01.02 (목)"), encoding="utf-8")
    report = project.run(force=True)
    assert report.failed and "points outside content/articles/" in report.failed[0][1]
    assert victim.read_text(encoding="utf-8") == "keep me"
    entry["output"], entry["slug"] = "content/articles/2024/x.md", "../../x"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    report = project.run(force=True)
    assert report.failed and "invalid slug" in report.failed[0][1]
