"""Sites for the engine's tests: the fixture site with a private theme, a generated one,
edits of every kind a writer makes, and a cold build to compare with."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from newsarchive.build import build_site
from newsarchive.config import BUNDLED_THEME, load_settings
from newsarchive.errors import NewsArchiveError

FIXTURE_SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
SECTIONS = ("경제", "사회", "정치", "국제", "문화")
PEOPLE = [
    f"{s}{g}"
    for s in "김이박최정"
    for g in ("민수", "서연", "지훈", "하은", "도윤", "수아", "준호", "유진")
]
COMPANIES = [
    f"{n}{k}"
    for n in ("한빛", "누리", "새길", "온빛")
    for k in ("전자", "건설", "금융", "제약", "바이오")
]
TOPICS = ["반도체", "금리", "부동산", "인공지능", "선거", "기후", "교육", "의료", "무역", "축제"]
STATIONS = ("서울", "부산", "대구", "광주", "제주", "강릉")


def fixture_site(target: Path, settings: str = "") -> Path:
    """A copy of the fixture site with its own copy of the theme (tests edit it)."""
    shutil.copytree(FIXTURE_SITE, target)
    shutil.copytree(BUNDLED_THEME, target / "themes" / "newsroom")
    (target / "newsarchive.toml").write_text(
        "search = false\narticles_per_page = 3\nentity_articles_per_page = 3\nentity_feeds = true\n"
        + settings,
        encoding="utf-8",
    )
    return target


def _front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def generated_article(rng: random.Random, i: int) -> tuple[str, str]:
    """(relative path, text) of article *i*: everything depends on rng's state only."""
    year = 2022 + rng.randint(0, 2)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    slug = f"article-{i}-{rng.randrange(10**6)}"
    meta = {
        "title": f"{rng.choice(TOPICS)} 관련 기사 {i}",
        "date": f"{year}-{month:02d}-{day:02d}",
        "section": rng.choice(SECTIONS) if rng.random() < 0.9 else None,
        "outlet": "시사미래신문",
        "byline": {"name": f"{rng.choice('김이박')}기자", "email": None}
        if rng.random() < 0.5
        else None,
        "weather": {
            "observed": f"{year}-{month:02d}-{day:02d}",
            "provider": "기상청",
            "stations": [
                {
                    "name": s,
                    "condition": rng.choice(["맑음", "흐림", "비", None]),
                    "temp_c": rng.randint(-10, 30) + 0.5,
                }
                for s in STATIONS
            ],
        }
        if rng.random() < 0.5
        else None,
        "people": [
            {"name": p, "role": rng.choice([None, "대표", "장관"])}
            for p in rng.sample(PEOPLE, rng.randint(0, 3))
        ],
        "companies": rng.sample(COMPANIES, rng.randint(0, 2)),
        "topics": rng.sample(TOPICS, rng.randint(0, 2)),
        "slug": slug,
    }
    meta["people"] = [{k: v for k, v in p.items() if v} for p in meta["people"]]
    paragraphs = [
        f"{meta['title']}의 첫 문단이다. 번호 {i}.",
        *(
            f"본문 {j}번째 문단: {rng.choice(TOPICS)}와 {rng.choice(COMPANIES)}."
            for j in range(rng.randint(1, 4))
        ),
    ]
    return f"content/articles/{year}/{slug}.md", _front_matter(meta) + "\n" + "\n\n".join(
        paragraphs
    ) + "\n"


def generated_site(target: Path, count: int, seed: int = 0) -> Path:
    """A site of *count* generated articles sharing people, companies and topics a lot."""
    rng = random.Random(seed)
    for i in range(count):
        path, text = generated_article(rng, i)
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_text(text, encoding="utf-8")
    (target / "content" / "pages").mkdir(parents=True)
    (target / "content" / "pages" / "about.md").write_text(
        "---\ntitle: 소개\nslug: about\n---\n\n생성된 아카이브.\n", encoding="utf-8"
    )
    registry = {
        "people": [
            {
                "name": PEOPLE[0],
                "slug": "first-person",
                "aliases": ["첫사람"],
                "description": "설명",
            }
        ],
        "companies": [{"name": COMPANIES[0], "aliases": ["HB전자"]}],
        "topics": [{"name": "인공지능", "slug": "ai", "aliases": ["AI"]}],
    }
    (target / "content" / "entities.yaml").write_text(
        yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copytree(BUNDLED_THEME, target / "themes" / "newsroom")
    (target / "newsarchive.toml").write_text(
        "search = false\narticles_per_page = 7\nentity_articles_per_page = 7\nentity_feeds = true\n",
        encoding="utf-8",
    )
    return target


def tree(output: Path) -> dict[str, str]:
    """Every file below *output* -> SHA-256 of its bytes."""
    return {
        p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


def build(root: Path, **kwargs) -> str | None:
    """Build *root*; the error message when files could not be built (the rest is)."""
    try:
        build_site(load_settings(root), **kwargs)
    except NewsArchiveError as exc:
        return str(exc)
    return None


def cold_tree(root: Path, scratch: Path) -> tuple[dict[str, str], str | None]:
    """The output of a build of *root*'s sources from nothing (no output, no cache)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("output", ".cache"))
    error = build(scratch)
    return tree(scratch / "output"), error


# ------------------------------------------------------------------------------ edits
def _articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").rglob("*.md"))


def _edit_front_matter(path: Path, change: Callable[[dict], None]) -> None:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    # a file broken by an earlier edit is fixed first, as its writer would
    meta = yaml.safe_load(head.replace("title: [", "title: ", 1))
    change(meta)
    path.write_text(_front_matter(meta) + body, encoding="utf-8")


def _edit_weather(meta: dict, value: int) -> None:
    """A station's temperature (below zero too), a condition set to null, the weather box
    removed, or one added (a new station or its first box)."""
    weather = meta.get("weather")
    stations = weather["stations"] if weather else []
    what = value % 4
    if what == 0 and stations:
        stations[value % len(stations)]["temp_c"] = (value % 41) - 15.5
    elif what == 1 and stations:
        stations[value % len(stations)]["condition"] = None
    elif what == 2:
        meta["weather"] = None
    else:
        if not weather:
            day = str(meta["date"])
            weather = meta["weather"] = {"observed": day, "provider": "기상청", "stations": []}
        names = {s["name"] for s in weather["stations"]}
        name = next((n for n in (*STATIONS, "울릉도", "백령도") if n not in names), "서귀포")
        weather["stations"].append({"name": name, "condition": "눈", "temp_c": -(value % 9)})


def apply_edit(root: Path, kind: str, pick: int, value: int) -> str:
    """Apply one edit of *kind* to the site; *pick* chooses the target, *value* the new
    value. Returns what was done (for failure messages)."""
    articles = _articles(root)
    article = articles[pick % len(articles)] if articles else None
    if kind == "body" and article:
        with article.open("a", encoding="utf-8") as handle:
            handle.write(f"\n새로 덧붙인 문단 {value}.\n")
    elif kind == "summary" and article:
        text = article.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        article.write_text(f"---\n{head}---\n\n고친 첫 문단 {value}. " + body.lstrip(), "utf-8")
    elif kind == "title" and article:
        _edit_front_matter(article, lambda m: m.update(title=f"고친 제목 {value}"))
    elif kind == "date" and article:
        _edit_front_matter(
            article,
            lambda m: m.update(
                date=f"{2021 + value % 4}-{1 + value % 12:02d}-{1 + value % 27:02d}"
            ),
        )
    elif kind == "section" and article:
        choices = [*SECTIONS, "새섹션", None]
        _edit_front_matter(article, lambda m: m.update(section=choices[value % len(choices)]))
    elif kind == "people" and article:

        def add_person(m: dict) -> None:
            people = m.get("people") or []
            name = PEOPLE[value % len(PEOPLE)] if value % 3 else f"새인물{value}"
            if value % 5 == 0 and people:
                people.pop()
            else:
                people.append({"name": name})
            m["people"] = people

        _edit_front_matter(article, add_person)
    elif kind == "new" and article:
        _edit_front_matter(article, lambda m: None)  # normalise the source first
        text = article.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        meta = yaml.safe_load(head)
        meta.update(
            slug=f"new-article-{value}-{pick}",
            title=f"새 기사 {value}",
            date=f"2024-0{1 + value % 9}-1{value % 10}",
        )
        target = article.parent / f"new-{value}-{pick}.md"
        target.write_text(_front_matter(meta) + body, encoding="utf-8")
    elif kind == "rename" and article:
        folder = article.parent.parent / ("2020" if value % 2 else article.parent.name)
        folder.mkdir(exist_ok=True)
        article.rename(folder / f"renamed-{value}-{article.name}")
    elif kind == "delete" and article and len(articles) > 2:
        article.unlink()
    elif kind == "registry":
        path = root / "content" / "entities.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = data or {}
        people = data.setdefault("people", [])
        if value % 3 == 0 and people:
            people[0]["description"] = f"고친 설명 {value}"
        elif value % 3 == 1:
            people.append(
                {
                    "name": PEOPLE[value % len(PEOPLE)] if value % 2 else f"등록인물{value}",
                    "slug": f"registered-{value}",
                }
            )
            unique = {}
            for entry in people:
                unique.setdefault(entry["name"], entry)
            data["people"] = list(unique.values())
            slugs = set()
            data["people"] = [
                e
                for e in data["people"]
                if not (e.get("slug") in slugs or slugs.add(e.get("slug")))
            ]
        else:
            data.setdefault("topics", []).append(
                {"name": f"주제{value}", "aliases": [TOPICS[value % len(TOPICS)]]}
            )
            names: set[str] = set()
            kept = []
            for entry in data["topics"]:
                keys = {entry["name"], *entry.get("aliases", [])}
                if keys & names:
                    continue
                names |= keys
                kept.append(entry)
            data["topics"] = kept
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    elif kind == "template":
        templates = root / "themes" / "newsroom" / "templates"
        name = ["partials/footer.html", "article.html", "partials/article_list.html"][value % 3]
        path = templates / name
        path.write_text(
            path.read_text(encoding="utf-8") + f"\n{{# edit {value} #}}<!-- {value} -->\n",
            encoding="utf-8",
        )
    elif kind == "css":
        css = root / "themes" / "newsroom" / "static" / "css" / "style.css"
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* {value} */\n", encoding="utf-8")
    elif kind == "setting":
        options = [
            "related_articles = 3",
            "article_weather = false",
            "articles_per_page = 2",
            "entity_articles_per_page = 2",
            "feed_entries = 4",
            'site_name = "다른 이름"',
        ]
        (root / "newsarchive.toml").write_text(
            "search = false\n" + options[value % len(options)] + "\n", encoding="utf-8"
        )
    elif kind == "weather" and article:
        _edit_front_matter(article, lambda m: _edit_weather(m, value))
    elif kind == "broken" and article:
        article.write_text(
            article.read_text(encoding="utf-8").replace("title:", "title: [", 1), "utf-8"
        )
    elif kind == "draft" and article:
        _edit_front_matter(
            article, lambda m: m.update(status="draft" if value % 2 else "published")
        )
    return f"{kind}({pick}, {value}) on {article.relative_to(root) if article else None}"


EDIT_KINDS = (
    "body",
    "summary",
    "title",
    "date",
    "section",
    "people",
    "new",
    "rename",
    "delete",
    "registry",
    "template",
    "css",
    "setting",
    "broken",
    "draft",
    "weather",
)

__all__ = [
    "EDIT_KINDS",
    "apply_edit",
    "build",
    "cold_tree",
    "fixture_site",
    "generated_site",
    "json",
    "tree",
]
