"""The `newsarchive import` verb: exit codes, the `path: reason` lines, the summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_helpers import Project

from newsarchive import cli


def _import(root: Path, *args: str) -> int:
    return cli.main(["import", "--root", str(root), "--no-entities", *args])


def test_success_prints_the_summary(
    project: Project, basic_dump: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    project.dump("a.txt", basic_dump())
    assert _import(project.root) == 0
    assert capsys.readouterr().out == "imported 1, unchanged 0, skipped 0, failed 0\n"
    assert _import(project.root) == 0
    assert capsys.readouterr().out == "imported 0, unchanged 1, skipped 0, failed 0\n"


def test_failures_print_one_line_each_and_exit_1(
    project: Project,
    basic_dump: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project.dump("good.txt", basic_dump())
    project.dump("empty.txt", b"")
    project.dump("zero.txt", b"\x00" * 10 + b"abc")
    monkeypatch.chdir(project.root)
    assert _import(project.root) == 1
    out, err = capsys.readouterr()
    assert out == "imported 1, unchanged 0, skipped 0, failed 2\n"
    lines = [line for line in err.splitlines() if not line.startswith("INFO")]
    assert lines == [
        "content/raw/empty.txt: empty file",
        "content/raw/zero.txt: binary file (NUL bytes), not a text dump",
    ]


def test_conflict_exit_1_and_force_exit_0(
    project: Project, basic_dump: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project.dump("a.txt", basic_dump())
    _import(project.root)
    article = project.only_article()
    article.write_text(article.read_text(encoding="utf-8") + "\n추가한 문단.\n", encoding="utf-8")
    raw.write_text(basic_dump("바뀐 제목"), encoding="utf-8")
    capsys.readouterr()
    assert _import(project.root) == 1
    out, err = capsys.readouterr()
    assert out.endswith("failed 0, conflicts 1\n")
    assert "content/raw/a.txt: conflict: the dump changed but content/articles/2024/" in err
    assert "추가한 문단." in article.read_text(encoding="utf-8")
    assert _import(project.root, "--force") == 0
    assert "추가한 문단." not in article.read_text(encoding="utf-8")


def test_quiet_prints_errors_only(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.dump("empty.txt", b"")
    assert _import(project.root, "-q") == 1
    out, err = capsys.readouterr()
    assert out == "" and "content/raw/empty.txt: empty file" in err


def test_missing_path_and_bad_jobs(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert _import(project.root, str(project.root / "nope.txt")) == 1
    assert f"{project.root / 'nope.txt'}: no such file or folder" in capsys.readouterr().err
    assert _import(project.root, "--jobs", "0") == 2


def test_help_documents_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["import", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for words in ("--force", "--no-entities", "conflict", "path: reason", "exit status"):
        assert words in out


DUMP_LINES = [
    "2024.06.08 (토)", "  • 흐림동두천 22.8℃", "기상청 제공", "경제", "URL복사", "배너", "\u00a0",
    "[출처=../../etc]", "▲ 캡션 (사진=x)", "▲항목", "홍길동 기자 a@b.co", "../../../evil",
    "{{ x }}", "---", "<script>", "제목", "본문 문장이다.", "",
]  # fmt: skip


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.binary(max_size=600),
        st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(
            st.sampled_from(
                [
                    "2024.06.08 (토)",
                    "  • 흐림동두천 22.8℃",
                    "기상청 제공",
                    "경제",
                    "URL복사",
                    "배너",
                    "\u00a0",
                    "[출처=../../etc]",
                    "▲ 캡션 (사진=x)",
                    "▲항목",
                    "홍길동 기자 a@b.co",
                    "../../../evil",
                    "{{ x }}",
                    "---",
                    "<script>",
                    "제목",
                    "본문 문장이다.",
                    "",
                ]
            ),
            max_size=25,
        ).map(lambda lines: "\n".join(lines).encode("utf-8")),
    )
)
def test_arbitrary_dumps_never_crash_or_write_outside_content(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    project = Project(tmp_path_factory.mktemp("prop") / "site")
    project.dump("x.txt", data)
    report = project.run()
    assert len(report.imported) + len(report.failed) == 1
    for path in project.root.rglob("*"):
        if path.is_file():
            assert path.is_relative_to(project.root / "content"), path
    for written in report.written:
        assert written.is_relative_to(project.articles)
    if report.imported:  # what was written is valid for the build
        from import_helpers import split_article

        from newsarchive.model import Article

        meta, _ = split_article(project.only_article())
        Article.from_front_matter(meta)


def test_damaged_manifest_is_an_error_naming_the_file(
    project: Project, basic_dump: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    project.dump("a.txt", basic_dump())
    manifest = project.root / "content" / ".import-state.json"
    for damage in ("{not json", '{"articles": {"k": {"slug": 5}}}', '{"articles": []}'):
        manifest.write_text(damage, encoding="utf-8")
        assert _import(project.root) == 1
        err = capsys.readouterr().err
        assert f"{manifest}: the import manifest is damaged" in err
    assert not project.articles.exists()  # nothing written on a damaged manifest


def test_progress_bar_only_when_asked_or_on_a_terminal(
    project: Project, basic_dump: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(3):
        project.dump(f"{i}.txt", basic_dump(f"제목 {i}"))
    project.run(progress=None)  # stderr is captured, not a terminal: no bar
    assert "dump" not in capsys.readouterr().err
    for path in project.articles_written():
        path.unlink()
    project.run(progress=True, force=True)
    assert "0/3 [" in capsys.readouterr().err  # the bar (cleared at the end: leave=False)
