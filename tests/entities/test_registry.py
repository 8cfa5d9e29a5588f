"""The registry file: the starter content loads; every documented error names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.entities.registry import Registry, load_registry
from newsarchive.errors import EntityError


def test_starter_registry(registry: Registry) -> None:
    lg = registry.resolve("company", "엘지전자")
    assert lg is not None and lg.name == "LG전자" and lg.slug == "lg-electronics"
    for alias in ("LG Electronics", "lg electronics", "LG"):
        assert registry.canonical_name("company", alias) == "LG전자"
    assert registry.canonical_name("company", "MS") == "마이크로소프트"
    assert registry.canonical_name("company", "Microsoft") == "마이크로소프트"
    assert registry.canonical_name("company", "USC") == "서던캘리포니아대학교"
    assert registry.canonical_name("company", "뉴욕대") == "뉴욕대학교"
    assert registry.canonical_name("topic", "AI") == "인공지능"
    cho = registry.resolve("person", "조주완")
    assert cho is not None and cho.slug == "cho-joo-wan"
    assert cho.roles[0].title == "CEO" and cho.roles[0].as_of is not None
    seed_people = {"조주완", "박형세", "은석현", "김병훈", "김원범", "이석우", "한은정"}
    assert seed_people <= {e.name for e in registry.entities("person")}
    # editor-chosen slugs are URL-safe and unique per kind
    for kind in ("person", "company", "topic"):
        slugs = [e.slug for e in registry.entities(kind)]
        assert len(slugs) == len(set(slugs))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicate_slug_is_named(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "companies:\n  - {name: 가나전자, slug: ganada}\n  - {name: 가나다전자, slug: ganada}\n",
    )
    with pytest.raises(EntityError) as info:
        load_registry(path)
    assert "ganada" in str(info.value)
    assert str(info.value).startswith(f"{path}:3:")  # the second entry's line


def test_alias_owned_by_two_entities_is_named(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "companies:\n  - {name: 마이크로소프트, aliases: [MS]}\n  - {name: 모건스탠리, aliases: [MS]}\n",
    )
    with pytest.raises(EntityError) as info:
        load_registry(path)
    message = str(info.value)
    assert "'MS'" in message and "마이크로소프트" in message and "모건스탠리" in message
    assert message.startswith(f"{path}:3:")


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "people:\n  - name: 조주완\n    aliases: [Cho\n  - name: 박형세\n")
    with pytest.raises(EntityError) as info:
        load_registry(path)
    assert info.value.line is not None and info.value.line >= 3
    assert str(info.value).startswith(f"{path}:{info.value.line}:")


def test_registry_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_bytes("companies:\n  - 엘지전자\n".encode("cp949"))
    with pytest.raises(EntityError, match="UTF-8"):
        load_registry(path)


def test_bad_slug_and_unknown_section_are_named(tmp_path: Path) -> None:
    with pytest.raises(EntityError, match="slug"):
        load_registry(_write(tmp_path, "people:\n  - {name: 조주완, slug: Cho/../x}\n"))
    with pytest.raises(EntityError, match="unknown registry section 'persons'"):
        load_registry(_write(tmp_path, "persons:\n  - 조주완\n"))
