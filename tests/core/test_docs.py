"""The documentation a newcomer reads stays true: links resolve, tables match the code.

- every relative link and image in README.md, CONTRIBUTING.md and docs/ points to a file
  of the repository, and every ``#anchor`` to a heading of its target as GitHub renders it;
- the README's command table lists exactly the commands of ``newsarchive --help``;
- docs/settings.md lists every setting of :class:`newsarchive.config.Settings` once, with
  its real default written as TOML.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import unicodedata
from dataclasses import fields
from pathlib import Path

import pytest

from newsarchive.config import Settings

REPO = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# [text](target) and ![alt](target); the target ends at the first space or ")"
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def documents() -> list[Path]:
    found = [REPO / "README.md", REPO / "CONTRIBUTING.md"]
    found += sorted((REPO / "docs").rglob("*.md"))
    return found


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of everything outside fenced code blocks."""
    lines, fence = [], None
    for number, line in enumerate(text.splitlines(), 1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        lines.append((number, line))
    return lines


def github_slug(heading: str) -> str:
    """The id GitHub gives a heading: its text as rendered (code spans and links reduced to
    their text, emphasis marks dropped), lower case, every character but letters, marks,
    digits, ``_``, ``-`` and spaces removed, spaces turned into hyphens."""
    text = _CODE_SPAN.sub(lambda m: m.group(2), heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("*", "")
    kept = "".join(
        ch
        for ch in text.lower()
        if ch in " -_" or unicodedata.category(ch)[0] in "LMN" or unicodedata.category(ch) == "Pc"
    )
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading id of a Markdown file, numbered as GitHub numbers repeats (x, x-1…)."""
    seen: dict[str, int] = {}
    ids = set()
    for _number, line in _prose_lines(path.read_text(encoding="utf-8")):
        match = _HEADING.match(line)
        if not match:
            continue
        slug = github_slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.add(slug if count == 0 else f"{slug}-{count}")
    return ids


def links(path: Path) -> list[tuple[int, str]]:
    """(line number, target) of every link and image outside code."""
    found = []
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        prose = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        found += [(number, m.group(1)) for m in _LINK.finditer(prose)]
        reference = _REFERENCE.match(prose)
        if reference:
            found.append((number, reference.group(1)))
    return found


def broken_links(path: Path, root: Path = REPO) -> list[str]:
    """``file:line: target (reason)`` for every relative link of *path* that does not resolve."""
    problems = []
    for number, target in links(path):
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            continue  # another site (http:, https:, mailto:): never fetched
        file_part, _, anchor = target.partition("#")
        where = f"{path.relative_to(root)}:{number}: {target}"
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.is_relative_to(root):
            problems.append(f"{where} (outside the repository)")
        elif not resolved.exists():
            problems.append(f"{where} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{where} (no heading with this anchor)")
        elif anchor and resolved.suffix != ".md":
            problems.append(f"{where} (an anchor into a file that is not Markdown)")
    return problems


# ------------------------------------------------------------------------------ links


def test_every_relative_link_resolves() -> None:
    problems = [problem for path in documents() for problem in broken_links(path)]
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_the_link_check_finds_broken_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text(
        "# 사용 안내\n\n## The record (`engine/record.py`)\n\n## Twice\n\n## Twice\n",
        encoding="utf-8",
    )
    page = tmp_path / "README.md"
    page.write_text(
        "\n".join(
            [
                "# Title",
                "[ok](docs/guide.md#사용-안내) [ok](docs/guide.md#the-record-enginerecordpy)",
                "[ok](docs/guide.md#twice-1) [ok](#title) [web](https://example.com/x#y)",
                "![gone](docs/images/missing.png)",
                "[gone](docs/nothing.md) and [bad anchor](docs/guide.md#twice-2)",
                "[self](#no-such-heading) [out](../../etc/passwd)",
                "`[code](not-a-link.md)`",
                "```",
                "[fenced](also-not-a-link.md)",
                "```",
            ]
        ),
        encoding="utf-8",
    )
    assert broken_links(page, tmp_path) == [
        "README.md:4: docs/images/missing.png (no such file)",
        "README.md:5: docs/nothing.md (no such file)",
        "README.md:5: docs/guide.md#twice-2 (no heading with this anchor)",
        "README.md:6: #no-such-heading (no heading with this anchor)",
        "README.md:6: ../../etc/passwd (outside the repository)",
    ]


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("`--force`", "--force"),
        (
            "The dependency record (`newsarchive/engine/record.py`)",
            "the-dependency-record-newsarchiveenginerecordpy",
        ),
        ("Terms: Korean without a dictionary", "terms-korean-without-a-dictionary"),
        ("People, companies and topics", "people-companies-and-topics"),
        ("사람, 기업과 주제", "사람-기업과-주제"),
        ("Deploying: the size budget", "deploying-the-size-budget"),
    ],
)
def test_github_slugs(heading: str, slug: str) -> None:
    assert github_slug(heading) == slug


# ------------------------------------------------------------------------------ commands


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [re.match(r"\| `([a-z-]+)", row).group(1) for row in rows]  # type: ignore[union-attr]


def _help_commands() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    listing = done.stdout.split("COMMAND\n", 1)[1].split("\noptions:", 1)[0]
    return re.findall(r"^    ([a-z][a-z-]*)\b", listing, flags=re.MULTILINE)


def test_readme_command_table_matches_help() -> None:
    in_help = _help_commands()
    in_readme = _readme_commands()
    assert len(in_help) >= 5  # the parse found the listing
    assert len(in_readme) == len(set(in_readme)), f"listed twice: {in_readme}"
    assert sorted(in_readme) == sorted(in_help), (
        f"missing from README: {sorted(set(in_help) - set(in_readme))}; "
        f"not a command: {sorted(set(in_readme) - set(in_help))}"
    )


# ------------------------------------------------------------------------------ settings


def _settings_rows() -> list[tuple[str, str]]:
    text = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z_]+)` \| `([^`]*)` \|", text, flags=re.MULTILINE)


def test_settings_page_lists_every_setting_with_its_default() -> None:
    defaults = Settings()
    rows = _settings_rows()
    names = [name for name, _default in rows]
    expected = [f.name for f in fields(Settings) if f.name != "root"]
    assert len(names) == len(set(names)), f"listed twice: {names}"
    assert sorted(names) == sorted(expected), (
        f"missing: {sorted(set(expected) - set(names))}; "
        f"not a setting: {sorted(set(names) - set(expected))}"
    )
    for name, written in rows:
        assert tomllib.loads(f"value = {written}")["value"] == getattr(defaults, name), name
