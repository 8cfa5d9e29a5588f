"""SearchIndex: cold builds, updates that equal them byte for byte, and what gets rewritten."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.config import Settings
from newsarchive.errors import BuildError
from newsarchive.search import INDEX_DIR, SearchDocument, SearchIndex, chunks, document_from_html
from newsarchive.search.documents import rest_bytes

WORDS = [
    "LG전자가",
    "조주완",
    "데이터센터를",
    "인공지능",
    "반도체",
    "수출",
    "서울에서",
    "발표했다",
    "AI",
    "CES",
    "2024년",
    "배터리",
    "투자를",
    "확대",
    "전략",
    "시장",
    "고객",
    "경험",
    "혁신",
    "정부",
    "예산",
    "지원",
    "관계자는",
    "밝혔다",
]


def make_doc(i: int, rng: random.Random | None = None) -> SearchDocument:
    rng = rng or random.Random(i)
    paragraphs = tuple(" ".join(rng.choices(WORDS, k=rng.randint(3, 12))) for _ in range(3))
    return SearchDocument(
        key=f"content/articles/{i:04d}.md",
        url=f"2024/{1 + i % 12:02d}/기사-{i}/",
        title=" ".join(rng.choices(WORDS, k=4)),
        date=f"2024-{1 + i % 12:02d}-{1 + i % 3:02d}",
        section=rng.choice(["경제", "사회", None]),
        people=tuple(rng.sample(["조주완", "박형세", "김병훈"], rng.randint(0, 2))),
        companies=tuple(rng.sample(["LG전자", "삼성전자"], rng.randint(0, 1))),
        topics=("AI",) if i % 2 else (),
        paragraphs=paragraphs,
    )


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def never():
    raise AssertionError("the index was rebuilt from every document")


class Site:
    """An output folder with its index, and the cache beside it."""

    def __init__(self, root: Path):
        self.root = root
        self.output = root / "output"
        self.index = SearchIndex(Settings(root=root), self.output)

    @property
    def folder(self) -> Path:
        return self.output / INDEX_DIR

    def cold(self, docs) -> None:
        self.index.update({}, [], lambda: iter(list(docs)))


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few terms, so that a few documents split and merge them."""
    monkeypatch.setattr(chunks, "SPREAD", 4)
    monkeypatch.setattr(chunks, "BIG", 40)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_sequence_of_updates_equals_a_cold_index(tmp_path, small_chunks, seed):
    rng = random.Random(seed)
    current = {d.key: d for d in (make_doc(i) for i in range(30))}
    pool = [make_doc(i) for i in range(30, 80)]
    site = Site(tmp_path / "a")
    site.cold(current.values())
    for step in range(25):
        changed: dict[str, SearchDocument] = {}
        removed: list[str] = []
        for _ in range(rng.randint(1, 4)):
            roll = rng.random()
            if roll < 0.3 and pool:
                doc = pool.pop()
                changed[doc.key] = doc
            elif roll < 0.5 and current:
                removed.append(rng.choice(sorted(current)))
            elif current:
                doc = current[rng.choice(sorted(current))]
                doc = dataclasses.replace(
                    doc,
                    title=rng.choice([doc.title, f"{doc.title} 속보{step}"]),
                    paragraphs=(*doc.paragraphs, f"새문단{step} 데이터센터를")[-3:],
                    date=rng.choice([doc.date, "2024-05-02", "2023-12-31"]),
                    people=rng.choice([doc.people, (*doc.people, "새인물")]),
                )
                changed[doc.key] = doc
        for key in removed:
            current.pop(key, None)
            changed.pop(key, None)
        current.update(changed)
        before = tree(site.folder)
        result = site.index.update(changed, removed, never)
        after = tree(site.folder)
        assert result.changed == sorted(
            f"{INDEX_DIR}/{rel}" for rel in after if before.get(rel) != after[rel]
        )
        assert result.removed == sorted(f"{INDEX_DIR}/{rel}" for rel in before.keys() - after)
        assert result.written == sorted(f"{INDEX_DIR}/{rel}" for rel in after)
        assert result.bytes == sum(p.stat().st_size for p in site.folder.rglob("*") if p.is_file())
    cold = Site(tmp_path / "b")
    cold.cold(current.values())
    assert tree(site.folder) == tree(cold.folder)


def test_an_unchanged_update_writes_nothing(tmp_path):
    site = Site(tmp_path)
    docs = [make_doc(i) for i in range(10)]
    site.cold(docs)
    before = mtimes(site.folder)
    result = site.index.update({docs[3].key: docs[3]}, ["content/articles/none.md"], never)
    assert result.changed == result.removed == []
    assert mtimes(site.folder) == before
    assert len(result.written) == len(before)


@pytest.mark.parametrize("field", ["paragraphs", "title"])
def test_an_edit_rewrites_the_chunks_of_its_changed_terms(tmp_path, small_chunks, field):
    """A body edit rewrites no fragment (the body is on the article's page, its paragraphs
    in the state); a headline edit rewrites that document's fragment only."""
    site = Site(tmp_path)
    docs = [make_doc(i) for i in range(40)]
    site.cold(docs)
    before = mtimes(site.folder)
    if field == "paragraphs":
        edited = dataclasses.replace(docs[5], paragraphs=(*docs[5].paragraphs, "반딧불이축제"))
    else:
        edited = dataclasses.replace(docs[5], title=f"{docs[5].title} 반딧불이축제")
    result = site.index.update({edited.key: edited}, [], never)
    after = mtimes(site.folder)
    rewritten = {rel for rel in after if before.get(rel) != after[rel]}
    assert {f"{INDEX_DIR}/{rel}" for rel in rewritten} == set(result.changed)
    fragment = [rel for rel in rewritten if rel.startswith("d/")]
    assert len(fragment) == (field == "title")
    chunks_rewritten = [rel for rel in rewritten if rel.startswith("t/")]
    # the new terms 반딧 딧불 불이 이축 축제 and at most their neighbours' chunks
    assert 1 <= len(chunks_rewritten) <= 10 < len([r for r in after if r.startswith("t/")])
    assert "manifest.json.gz" in rewritten


def test_a_missing_state_rebuilds_from_every_document(tmp_path):
    site = Site(tmp_path)
    docs = [make_doc(i) for i in range(10)]
    site.cold(docs)
    site.index.state_path.unlink()
    calls = []

    def every():
        calls.append(1)
        return iter(docs[:9])

    result = site.index.update({}, [docs[9].key], every)
    assert calls == [1]
    assert result.bytes == sum(p.stat().st_size for p in site.folder.rglob("*") if p.is_file())
    cold = Site(tmp_path / "cold")
    cold.cold(docs[:9])
    assert tree(site.folder) == tree(cold.folder)
    assert result.removed  # the fragment of the document gone, at least


@pytest.mark.parametrize("damage", ["chunk", "fragment", "manifest", "missing", "version", "state"])
def test_damage_outside_the_index_makes_the_update_a_rebuild(tmp_path, damage):
    site = Site(tmp_path)
    docs = [make_doc(i) for i in range(10)]
    site.cold(docs)
    if damage == "chunk":
        victim = next((site.folder / "t").iterdir())
        victim.write_bytes(victim.read_bytes() + b"x")
    elif damage == "fragment":  # of the document updated (the others are not read)
        with sqlite3.connect(site.index.state_path) as db:
            (number,) = db.execute(
                "SELECT number FROM documents WHERE key = ?", (docs[2].key,)
            ).fetchone()
        victim = site.folder / "d" / f"{number}.json.gz"
        victim.write_bytes(gzip.compress(b'{"title": "forged"}', mtime=0))
    elif damage == "manifest":
        (site.folder / "manifest.json.gz").write_bytes(gzip.compress(b"{}", mtime=0))
    elif damage == "missing":
        next((site.folder / "d").iterdir()).unlink()
    elif damage == "version":
        with sqlite3.connect(site.index.state_path) as db:
            db.execute("UPDATE meta SET value = '0' WHERE name = 'version'")
    else:
        site.index.state_path.write_bytes(b"not a database")
    edited = dataclasses.replace(docs[2], title="새 제목")
    result = site.index.update({edited.key: edited}, [], lambda: iter(docs))
    cold = Site(tmp_path / "cold")
    cold.cold([*docs[:2], edited, *docs[3:]])
    assert tree(site.folder) == tree(cold.folder)
    assert result.written == sorted(f"{INDEX_DIR}/{rel}" for rel in tree(cold.folder))


def test_stray_files_in_the_index_folder_are_deleted(tmp_path):
    site = Site(tmp_path)
    docs = [make_doc(i) for i in range(5)]
    site.cold(docs)
    size = site.index.update({}, [], never).bytes
    (site.folder / "t" / "stray.bin").write_bytes(b"x")
    (site.folder / "notes.txt").write_text("x")
    result = site.index.update({}, [], never)
    assert result.removed == [f"{INDEX_DIR}/notes.txt", f"{INDEX_DIR}/t/stray.bin"]
    assert result.bytes == size  # a stray file was never part of the index
    cold = Site(tmp_path / "cold")
    cold.cold(docs)
    assert tree(site.folder) == tree(cold.folder)


def test_remove_deletes_the_index_and_its_state(tmp_path):
    site = Site(tmp_path)
    site.cold([make_doc(i) for i in range(5)])
    files = tree(site.folder)
    result = site.index.remove()
    assert result.removed == sorted(f"{INDEX_DIR}/{rel}" for rel in files)
    assert not site.folder.exists() and not site.index.state_path.exists()


def test_an_empty_archive_has_an_empty_index(tmp_path):
    site = Site(tmp_path)
    site.cold([])
    manifest = json.loads(gzip.decompress((site.folder / "manifest.json.gz").read_bytes()))
    assert manifest["documents"] == 0 and manifest["chunks"] == []
    doc = make_doc(1)
    site.index.update({doc.key: doc}, [], never)
    cold = Site(tmp_path / "cold")
    cold.cold([doc])
    assert tree(site.folder) == tree(cold.folder)


def test_documents_are_checked(tmp_path):
    site = Site(tmp_path)
    doc = make_doc(1)
    with pytest.raises(BuildError, match="two search documents"):
        site.cold([doc, doc])
    with pytest.raises(BuildError, match="passed under key"):
        site.index.update({"other.md": doc}, [], never)
    bad = dataclasses.replace(doc, people=(1, 2))
    with pytest.raises(BuildError, match="expected text"):
        site.cold([bad])


def test_fragments_hold_the_document_as_text(tmp_path):
    site = Site(tmp_path)
    doc = document_from_html(
        key="content/articles/x.md",
        url="2024/06/x/",
        title='<script>alert("x")</script>',
        date="2024-06-08",
        section="경제",
        people=("조주완",),
        companies=(),
        topics=(),
        body_html='<p>첫 <b>문단</b></p>\n<ul><li>가<p>나</p></li></ul><figure class="photo-caption">'
        "<figcaption>사진 설명</figcaption></figure><pre>&lt;script&gt;x</pre>",
    )
    assert doc.paragraphs == ("첫 문단", "가나", "사진 설명", "<script>x")
    site.cold([doc])
    (fragment,) = (site.folder / "d").iterdir()
    data = json.loads(gzip.decompress(fragment.read_bytes()))
    assert data["title"] == '<script>alert("x")</script>'
    assert "key" not in data  # the source path stays private
    # what a result shows; the text is on the article's page, the facets are terms
    assert sorted(data) == ["date", "section", "title", "url"]
    assert SearchDocument.from_fragment(doc.key, data, rest_bytes(doc)) == doc


def test_an_update_in_a_fresh_process_loads_nothing_heavy(tmp_path):
    site = Site(tmp_path)
    docs = [make_doc(i) for i in range(20)]
    site.cold(docs)
    code = f"""
import sys, dataclasses
from pathlib import Path
from newsarchive.config import Settings
from newsarchive.search import SearchIndex, SearchDocument
doc = SearchDocument(**{json.dumps(dataclasses.asdict(docs[4]), ensure_ascii=False)})
doc = dataclasses.replace(doc, title="새 제목", people=tuple(doc.people), companies=tuple(doc.companies),
    topics=tuple(doc.topics), paragraphs=tuple(doc.paragraphs))
root = Path({str(tmp_path)!r})
result = SearchIndex(Settings(root=root), root / "output").update({{doc.key: doc}}, [], lambda: 1 / 0)
assert result.changed
heavy = [m for m in ("kiwipiepy", "pagefind", "pelican", "numpy") if m in sys.modules]
print(",".join(heavy))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, encoding="utf-8", check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_same_documents_give_the_same_bytes_in_any_process(tmp_path):
    """Nothing may depend on the process (hash seeds, set order)."""
    docs = [dataclasses.asdict(make_doc(i)) for i in range(25)]
    (tmp_path / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    code = """
import json, sys
from pathlib import Path
from newsarchive.config import Settings
from newsarchive.search import SearchDocument, SearchIndex
root = Path(sys.argv[1])
docs = [SearchDocument(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})
        for d in json.loads((root.parent / "docs.json").read_text(encoding="utf-8"))]
SearchIndex(Settings(root=root), root / "output").update({}, [], lambda: iter(docs))
"""
    trees = []
    for seed in ("1", "2"):
        root = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(root)], env=env, check=True)
        trees.append(tree(root / "output" / INDEX_DIR))
    assert trees[0] == trees[1]
