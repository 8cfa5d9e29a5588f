"""Raw text is data: no markup, template, entity or YAML structure can come out of a dump."""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_helpers import Project, split_article
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

from newsarchive.importer.body import escape_text
from newsarchive.importer.parse import Block
from newsarchive.importer.render import Entities, build_article, dump_front_matter, render_parts
from newsarchive.model import Article


def _renderers() -> list[MarkdownIt]:
    """The build's reader (CommonMark, html off) and a GFM-flavoured one, stricter still."""
    commonmark = MarkdownIt("commonmark", {"html": False}).use(container_plugin, "photo-caption")
    gfm = MarkdownIt("gfm-like", {"html": False, "linkify": False}).disable("linkify")
    return [commonmark, gfm.use(container_plugin, "photo-caption")]


HOSTILE_TITLE = 'key: value "quoted" --- {{ site.secret }} {% include x %} # not a comment: &amp;'
HOSTILE_BODY = [
    "<script>alert('x')</script> 본문",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1)) 와 ![i](javascript:alert(2)) 그리고 <javascript:alert(3)>",
    "<https://example.com> 와 https://example.com/auto",
    "{{ config.SECRET }} {% for x in y %}{% endfor %} {# c #}",
    "&amp; &lt;b&gt; &#60;script&#62; &copy;",
    "---",
    "key: value",
    "# 제목 흉내",
    "1. 순서 목록 흉내",
    "- 목록 흉내",
    "> 인용 흉내",
    "*강조* __굵게__ `코드` ~~취소~~ | 표 | 흉내 |",
    "::: photo-caption",
    "줄 끝 역슬래시 \\",
]


def _page(title: str, body: list[str]) -> str:
    return "2024.06.08 (토)\n\n사회\n\n" + title + "\n\nURL복사\n\n" + "\n\n".join(body) + "\n"


def test_hostile_headline_and_body_stay_text(project: Project) -> None:
    project.dump("evil.txt", _page(HOSTILE_TITLE, HOSTILE_BODY))
    report = project.run()
    assert report.ok, report.failed
    path = project.only_article()
    meta, body = split_article(path)
    assert meta["title"] == HOSTILE_TITLE  # YAML round-trips it exactly
    assert set(meta) == set(Article.from_front_matter(meta).to_front_matter())  # no key injected
    for md in _renderers():
        soup = BeautifulSoup(md.render(body), "html.parser")
        assert soup.find(["script", "img", "a", "h1", "ol", "ul", "blockquote", "hr", "em",
                          "strong", "code", "del", "table", "figure"]) is None  # fmt: skip
        assert all(not tag.attrs for tag in soup.find_all(True))  # no onerror=, no href=
        assert [p.get_text() for p in soup.find_all("p")] == [
            " ".join(b.split()) for b in HOSTILE_BODY
        ]


@pytest.mark.parametrize(
    "title",
    [
        "주가: 상승 \"반등\" 'quote'",
        "--- 구분선 ---",
        "{{ 템플릿 }} {% 블록 %}",
        "# 해시로 시작",
        "@ 골뱅이, * 별, & 앰퍼샌드, ! 느낌표, % 퍼센트, | 파이프, > 꺾쇠",
        "null",
        "2024-06-08",
        "yes",
        "0x1F",
        "- 대시로 시작",
        "? 물음표: 시작",
        "...",
        "a" * 500,
    ],
)
def test_headline_round_trips_through_yaml(title: str) -> None:
    from newsarchive.importer.parse import ParsedDump

    parsed = ParsedDump(
        title=title,
        date=__import__("datetime").date(2024, 6, 8),
        date_source="dateline",
        section=None,
        outlet=None,
        source=None,
        byline=None,
        weather=None,
        blocks=(Block("paragraph", ("본문",)),),
    )
    article = build_article(parsed, slug="x", raw="r.txt", raw_sha256="0" * 64, entities=Entities())
    # the whole mapping dumped at once, as one file: ---, YAML, ---, blank line, body
    text = f"---\n{dump_front_matter(article.to_front_matter())}---\n\n본문\n"
    # the split rendering workers use gives the same bytes as rendering the whole mapping
    parts = render_parts(parsed, raw="r.txt", raw_sha256="0" * 64, entities=Entities(), body="본문")
    assert parts.assemble("x") == text.encode("utf-8")
    head = text[4 : text.index("\n---\n\n")]
    meta = yaml.safe_load(head)
    assert meta["title"] == title
    assert next(iter(meta)) == "title" and meta["slug"] == "x"


def test_photo_caption_and_list_render_as_the_contract_says(project: Project) -> None:
    project.dump(
        "p.txt",
        _page(
            "사진 기사",
            ["▲ 행사 모습 <b>굵게</b> (사진=LG전자)", "일정:", "▲첫째 *항목*", "▲둘째 항목"],
        ),
    )
    project.run()
    _, body = split_article(project.only_article())
    assert "::: photo-caption\n행사 모습 \\<b\\>굵게\\</b\\> (사진=LG전자)\n:::" in body
    assert "- 첫째 \\*항목\\*\n- 둘째 항목" in body
    md = _renderers()[0]
    # the site's reader renders the container as <figure>; the plugin's default is a div
    soup = BeautifulSoup(md.render(body), "html.parser")
    caption = soup.find("div", class_="photo-caption")
    assert (
        caption is not None
        and caption.get_text(strip=True) == "행사 모습 <b>굵게</b> (사진=LG전자)"
    )
    assert [li.get_text() for li in soup.find_all("li")] == ["첫째 *항목*", "둘째 항목"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=80)
)
def test_any_line_of_text_renders_back_to_itself(text: str) -> None:
    line = " ".join(text.split())
    if not line:
        return
    for md in _renderers():
        rendered = md.render(escape_text(line))
        soup = BeautifulSoup(rendered, "html.parser")
        tags = {tag.name for tag in soup.find_all(True)}
        assert tags <= {"p"}, (line, rendered)
        assert soup.get_text().strip() == line, (line, rendered)
