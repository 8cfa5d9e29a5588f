"""Smoke tests of scripts/bench.py at a tiny size (figures are not asserted: it is no timed test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsarchive.model import Article

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
sys.path.insert(0, str(SCRIPTS))

from benchlib import procs, project, report, stock, synth  # noqa: E402

COLUMNS = [
    "articles",
    "tool",
    "phase",
    "runs",
    "median s",
    "ms/article",
    "speed-up",
    "peak MiB",
    "output MiB",
    "files",
]


def run_bench(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), "--work", str(tmp_path / "work"), *extra],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def table_lines(stdout: str) -> list[list[str]]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("articles"))
    rows = []
    for line in lines[start + 2 :]:
        if line.startswith("load average"):
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return [re.split(r"\s{2,}", lines[start].strip()), *rows]


# ------------------------------------------------------------------ the generator
def test_generator_is_deterministic_and_prefix_stable():
    cast = synth.make_cast(0)
    assert len(cast.people) >= 1000 and len(cast.companies) >= 1000
    assert len({p.name for p in cast.people}) == len(cast.people)
    first = [synth.render_raw(synth.make_article(i, cast)) for i in range(30)]
    again = [synth.render_raw(a) for a in synth.iter_articles(30)]
    assert first == again
    assert [synth.render_raw(a) for a in synth.iter_articles(10)] == first[:10]
    other_seed = [synth.render_raw(a) for a in synth.iter_articles(10, seed=1)]
    assert other_seed != first[:10]


def test_generated_dumps_look_like_the_seed(seed_raw_path: Path):
    seed_lines = seed_raw_path.read_text(encoding="utf-8").splitlines()
    articles = list(synth.iter_articles(200))
    sections = {a.section for a in articles}
    assert sections == set(synth.SECTIONS) and len(sections) == 8
    assert any(a.weather for a in articles) and any(not a.weather for a in articles)
    text = synth.render_raw(next(a for a in articles if a.weather and a.byline and a.source))
    lines = text.splitlines()
    # the seed's skeleton: dateline, weather stations, provider, section, title, URL복사
    assert re.fullmatch(r"\d{4}\.\d\d\.\d\d \([월화수목금토일]\)", lines[0])
    assert re.fullmatch(r"\d{4}\.\d\d\.\d\d \(.\)", seed_lines[0])
    assert lines[2].startswith("  • ") and lines[2].endswith("℃")
    assert "기상청 제공" in lines and "URL복사" in lines and "\xa0" in lines
    assert any(line.startswith("[출처=") for line in lines)
    assert re.search(r" 기자 \S+@\S+", text)
    lengths = sorted(len(synth.render_raw(a)) for a in articles)
    assert 1500 < lengths[len(lengths) // 2] < 4000  # realistic news lengths (seed: ~3,000)
    assert any(re.search(r"[가-힣]", line) for line in lines[20:])


def test_standin_markdown_satisfies_the_article_model():
    article = next(a for a in synth.iter_articles(50) if a.weather and a.byline)
    text = synth.render_markdown(article, "content/raw/x.txt", "a" * 64, "slug-1")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    parsed = Article.from_front_matter(yaml.safe_load(front))
    assert parsed.title == article.title and parsed.section == article.section
    assert len(parsed.people) == len(article.people)
    assert parsed.weather is not None and len(parsed.weather.stations) == 16
    assert "\\." in body  # raw punctuation is escaped


def test_registry_loads_with_the_project_loader(tmp_path: Path):
    from newsarchive.entities.registry import load_registry

    path = tmp_path / "entities.yaml"
    synth.write_registry(path)
    registry = load_registry(path)
    assert len(registry.entities("person")) == len(synth.make_cast().people)
    assert registry.resolve("company", synth.make_cast().companies[0]) is not None


def test_raw_archive_and_registry_name_thousands_of_entities(tmp_path: Path):
    from newsarchive.entities.registry import load_registry

    raw, registry_path = tmp_path / "raw", tmp_path / "entities.yaml"
    project.generate_raw(raw, registry_path, 12, 0, "synth")
    assert len(list(raw.glob("*.txt"))) == 12
    registry = load_registry(registry_path)
    assert len(registry.entities("person")) >= 1000
    assert len(registry.entities("company")) >= 1000
    # a handful of companies per story, not dozens: taxonomy fan-out like a real archive
    reporters = set()
    for article in synth.iter_articles(300):
        assert 1 <= len(article.companies) <= 6 and 1 <= len(article.people) <= 6
        if article.byline:
            reporters.add(article.byline[0])
    assert 20 < len(reporters) <= synth.REPORTERS


def test_importer_generator_can_be_chosen(tmp_path: Path):
    assert project.gen_dumps_module() is not None, "scripts/gen_dumps.py is missing"
    from newsarchive.entities.registry import load_registry

    raw, registry_path = tmp_path / "raw", tmp_path / "entities.yaml"
    project.generate_raw(raw, registry_path, 5, 0, "gen_dumps")
    assert len(list(raw.glob("*.txt"))) == 5
    assert len(load_registry(registry_path).entities("company")) > 0


def test_standin_articles_are_written_when_there_is_no_importer(tmp_path: Path):
    root = tmp_path / "p"
    synth.write_raw_archive(root / "content" / "raw", 5)
    assert project.write_standin_articles(root, 5, 0) == 5
    files = project.article_files(root)
    assert len(files) == 5
    for path in files:
        front = path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)[0]
        article = Article.from_front_matter(yaml.safe_load(front), path=path)
        assert path.stem == article.slug and path.parent.name == f"{article.date:%Y}"


# ------------------------------------------------------------------ pieces
def test_stock_front_matter_flattens_entities_into_tags():
    meta = {
        "title": "t",
        "section": "경제",
        "byline": {"name": "홍길동", "email": "a@b.kr"},
        "people": [{"name": "조주완", "role": "CEO"}, "박형세"],
        "companies": ["LG전자", "조주완"],
        "topics": ["인공지능"],
    }
    out = stock.to_stock_front_matter(meta)
    assert out["tags"] == ["조주완", "박형세", "LG전자", "인공지능"]
    assert out["category"] == "경제" and out["author"] == "홍길동"
    assert out["people"] == meta["people"]  # everything else stays as it was


def test_run_step_measures_time_and_peak_rss(tmp_path: Path):
    code = "b = bytearray(80 * 1024 * 1024); import time; time.sleep(0.3); print('done')"
    result = procs.run_step([sys.executable, "-c", code], log_path=tmp_path / "log")
    assert result.ok and result.output_tail == "done"
    assert result.seconds >= 0.3
    assert result.peak_rss_bytes >= 80 * 1024 * 1024
    failed = procs.run_step(
        [sys.executable, "-c", "raise SystemExit(3)"], log_path=tmp_path / "log2"
    )
    assert failed.returncode == 3 and not failed.ok


def test_live_step_answers_line_by_line_and_is_measured(tmp_path: Path):
    code = (
        "import json, sys\n"
        "b = bytearray(60 * 1024 * 1024)\n"
        "print('warming up', file=sys.stderr, flush=True)\n"
        "print(json.dumps({'ready': True}), flush=True)\n"
        "for i, _ in enumerate(sys.stdin):\n"
        "    print('not an answer'); print(json.dumps({'run': i}), flush=True)\n"
    )
    live = procs.LiveStep([sys.executable, "-c", code], log_path=tmp_path / "log")
    assert live.receive(30) == {"ready": True}
    for run in range(3):
        assert live.send() and live.receive(30) == {"run": run}
    result = live.close(30)
    assert result.ok and result.peak_rss_bytes >= 60 * 1024 * 1024
    log = (tmp_path / "log").read_text(encoding="utf-8")
    assert "warming up" in log and log.count("not an answer") == 3
    failed = procs.LiveStep(
        [sys.executable, "-c", "raise SystemExit('broken')"], log_path=tmp_path / "log2"
    )
    assert failed.receive(30) is None
    result = failed.close(30)
    assert result.returncode == 1 and result.output_tail == "broken"
    stuck = procs.LiveStep(
        [sys.executable, "-c", "import time; time.sleep(60)"], log_path=tmp_path / "log3"
    )
    assert stuck.receive(0.5) is None  # no answer in time: killed
    assert stuck.close(30).returncode == -9


def test_table_is_aligned_and_speed_up_is_stock_over_ours():
    size = report.SizeResult(1000)
    size.phases = [
        report.Phase("stock", "cold", [4.0, 6.0, 5.0], [100 * 2**20]),
        report.Phase("ours", "cold", [1.0, 2.0, 1.0], [50 * 2**20], 2 * 2**20, 7),
        report.Phase("ours", "incremental", [0.25], [40 * 2**20]),
        report.Phase("ours", "warm", [], [], error="exited 1"),
    ]
    lines = report.format_table([size]).splitlines()
    assert re.split(r"\s{2,}", lines[0]) == COLUMNS
    assert len({len(line) for line in lines[:3]}) == 1  # aligned
    rows = {tuple(r[1:3]): r for r in (re.split(r"\s{2,}", ln.strip()) for ln in lines[2:])}
    assert rows["ours", "cold"][4:9] == ["1.000", "1.000", "5.00x", "50", "2.0"]
    assert rows["ours", "incremental"][6] == "-"  # no stock warm to compare with
    assert rows["ours", "warm"][4] == "-"


def test_before_over_ours_is_a_column_of_its_own_only_with_an_older_checkout():
    size = report.SizeResult(1000)
    size.phases = [
        report.Phase("before", "cold", [3.0, 2.0, 4.0], [60 * 2**20], 2 * 2**20, 7),
        report.Phase("ours", "cold", [1.0, 2.0, 1.0], [50 * 2**20], 2 * 2**20, 7),
        report.Phase("before", "warm", [], [], error="exited 1"),
        report.Phase("ours", "warm", [0.5], [40 * 2**20]),
        report.Phase("ours", "incremental", [0.25], [40 * 2**20]),  # no before phase
        report.Phase("stock", "cold", [5.0], [100 * 2**20]),
    ]
    lines = report.format_table([size]).splitlines()
    header = re.split(r"\s{2,}", lines[0])
    assert header == [*COLUMNS[:7], "before/ours", *COLUMNS[7:]]
    assert len({len(line) for line in lines[:3]}) == 1  # aligned
    rows = {tuple(r[1:3]): r for r in (re.split(r"\s{2,}", ln.strip()) for ln in lines[2:])}
    # before's median 3.0 / ours 1.0; the stock speed-up keeps its meaning (5.0 / 1.0)
    assert rows["ours", "cold"][6:8] == ["5.00x", "3.00x"]
    assert rows["before", "cold"][4:8] == ["3.000", "3.000", "-", "-"]
    assert rows["ours", "warm"][7] == "-"  # before failed: no ratio
    assert rows["before", "warm"][4] == "-"
    assert rows["ours", "incremental"][7] == "-"
    raw = report.as_json([size], {})["sizes"][0]["phases"]
    assert [p["before_over_ours"] for p in raw] == [None, 3.0, None, None, None, None]
    assert report.BEFORE_COLUMN not in report.format_table([report.SizeResult(10)])


def test_size_table_breaks_the_output_down_by_kind_per_article():
    size = report.SizeResult(1000)
    cold = report.Phase("ours", "cold", [1.0], [1])
    cold.output_kinds = {"article": (9_000_000, 1000), "feed": (2_500_000, 40), "other": (0, 0)}
    size.phases = [cold, report.Phase("ours", "warm", [0.1], [1])]
    lines = report.format_sizes([size]).splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["articles", "output", "MB", "files", "kB/article"]
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[2:]]
    assert rows == [
        ["1000", "article pages", "9.0", "1000", "9.00"],
        ["1000", "feeds", "2.5", "40", "2.50"],  # kinds without files are left out
        ["1000", "total", "11.5", "1040", "11.50"],
    ]
    assert report.format_sizes([report.SizeResult(10)]) == ""  # no cold build: no table


# ------------------------------------------------------------------ the script
def test_bench_prints_the_table_without_stock(tmp_path: Path):
    done = run_bench(
        tmp_path, "--sizes", "20", "--runs", "1", "--no-stock", "--our-setting", "search=false"
    )
    assert done.returncode == 0, done.stderr
    rows = table_lines(done.stdout)
    assert rows[0] == COLUMNS
    assert all(row[0] == "20" for row in rows[1:])
    phases = {(r[1], r[2]) for r in rows[1:]}
    assert ("ours", "import") in phases
    if "our build is not available" not in done.stdout:
        expected = {"cold", "warm", "incremental", "incremental (in-process)"}
        assert {("ours", name) for name in expected} <= phases
        assert "error [" not in done.stdout, done.stdout
    assert "load average (1/5/15 min) at start" in done.stdout
    assert "load average (1/5/15 min) at end" in done.stdout
    if "our build is not available" not in done.stdout:
        # the cold build's output by kind, 20 article pages among it, totals matching
        sizes = done.stdout.split("by kind:\n", 1)[1].split("\nspeed-up")[0].splitlines()
        kinds = {r[1]: r for r in (re.split(r"\s{2,}", ln.strip()) for ln in sizes[2:])}
        assert kinds["article pages"][3] == "20"
        assert kinds["search index"][3] == "1"  # search=false: the search page, no index
        cold = next(r for r in rows[1:] if r[1:3] == ["ours", "cold"])
        assert kinds["total"][3] == cold[9]  # the same files as the main table counts
    # Raw dumps of the right count went into the work dir, never into the repository.
    raw = list((tmp_path / "work" / "n20" / "project" / "content" / "raw").glob("*.txt"))
    assert len(raw) == 20
    assert (
        len(list((tmp_path / "work" / "n20" / "project" / "content" / "articles").rglob("*.md")))
        == 20
    )


def test_bench_before_runs_an_older_checkout_in_turn_with_ours(tmp_path: Path):
    # the checkout compared with itself, and a "checkout" whose code is broken
    broken = tmp_path / "broken"
    (broken / "themes").mkdir(parents=True)
    (broken / "src" / "newsarchive").mkdir(parents=True)
    (broken / "src" / "newsarchive" / "__init__.py").write_text("")
    (broken / "src" / "newsarchive" / "build.py").write_text("def build_site(s): pass\n")
    (broken / "src" / "newsarchive" / "__main__.py").write_text("raise SystemExit('old bug')\n")
    out = tmp_path / "bench.json"
    common = ("--sizes", "20", "--runs", "1", "--no-stock", "--no-import")
    done = run_bench(tmp_path, *common, "--before", str(REPO), "--json", str(out))
    assert done.returncode == 0, done.stderr
    rows = table_lines(done.stdout)
    assert rows[0] == [*COLUMNS[:7], "before/ours", *COLUMNS[7:]]
    builds = [
        "cold",
        "warm",
        "warm --full",
        "incremental",
        "front-matter edit",
        "incremental (in-process)",
    ]
    # before's row, then ours, for every phase
    assert [tuple(r[1:3]) for r in rows[1:]] == [(t, n) for n in builds for t in ("before", "ours")]
    for before, ours in zip(rows[1::2], rows[2::2], strict=True):
        assert before[3] == ours[3] == "1" and before[7] == "-"
        ratio = float(before[4]) / float(ours[4])
        assert (
            re.fullmatch(r"\d+\.\d\dx", ours[7])
            and abs(float(ours[7][:-1]) - ratio) <= 0.01 + 0.01 * ratio
        )
    assert "error [" not in done.stdout, done.stdout
    assert "before/ours = the older checkout's median / ours" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["before"]["run"] is True
    phases = data["sizes"][0]["phases"]
    assert sum(p["tool"] == "before" and p["median"] > 0 for p in phases) == len(builds)
    assert all(p["before_over_ours"] > 0 for p in phases if p["tool"] == "ours")
    assert (tmp_path / "work" / "n20" / "before" / "themes").resolve() == REPO / "themes"

    done = run_bench(tmp_path, *common, "--before", str(broken))
    assert done.returncode == 0, done.stderr
    rows = {tuple(r[1:3]): r for r in table_lines(done.stdout)[1:]}
    assert rows["before", "cold"][3:5] == ["0", "-"] and rows["ours", "cold"][7] == "-"
    assert float(rows["ours", "incremental (in-process)"][4]) > 0  # ours goes on
    assert "error [20] before cold: [20] before cold 1 exited 1: old bug" in done.stdout
    assert "error [20] before incremental: not run: no warm build" in done.stdout


@pytest.mark.slow
def test_bench_builds_with_stock_pelican_side_by_side(tmp_path: Path):
    """Creates (first use) or reuses the stock virtualenv under .cache/bench/."""
    out = tmp_path / "bench.json"
    done = run_bench(tmp_path, "--sizes", "20", "--runs", "1", "--json", str(out))
    assert done.returncode == 0, done.stderr
    rows = table_lines(done.stdout)
    phases = {(r[1], r[2]): r for r in rows[1:]}
    assert ("stock", "cold") in phases and ("stock", "warm") in phases
    cold = phases["stock", "cold"]
    assert float(cold[4]) > 0 and int(cold[9]) > 20  # articles, tag pages, feeds were written
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["stock_pelican"].startswith("4.12")
    assert len(data["load_start"]) == 3 and len(data["load_end"]) == 3
    stock_cold = next(
        p for p in data["sizes"][0]["phases"] if p["tool"] == "stock" and p["name"] == "cold"
    )
    assert stock_cold["median"] > 0 and stock_cold["peak_rss"][0] > 10 * 2**20
    # Stock Pelican really rendered the article bodies and turned entities into tag pages.
    site = tmp_path / "work" / "n20" / "stock" / "output"
    assert any(site.glob("tags/*/index.html"))
    pages = list(site.glob("20*/*/*/index.html"))
    assert len(pages) == 20


def test_bench_edit_prints_every_phase_side_by_side(tmp_path: Path):
    # the checkout compared with itself: both columns run, the table has every phase
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "bench_edit.py"),
            "--before",
            str(REPO),
            "--runs",
            "1",
            "--work",
            str(tmp_path / "work"),
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {line[:16].strip(): line[16:] for line in done.stdout.splitlines()}
    for phase in (
        "nothing changed",
        "body edit",
        "title edit",
        "section edit",
        "date edit",
        "weather edit",
        "person added",
        "new article",
        "deleted article",
    ):
        assert re.fullmatch(
            r" before \d+\.\d{3} s  now \d+\.\d{3} s  before/now \d+\.\d\dx", rows[phase]
        ), done.stdout
    assert re.fullmatch(
        r" before \d+\.\d s  now \d+\.\d s  before/now \d+\.\d\dx  \(median of 1\)",
        rows["cold build"],
    ), done.stdout
    assert re.fullmatch(
        r" before [\d.]+ MB in \d+ files  now [\d.]+ MB in \d+ files", rows["output"]
    )
    assert "30 articles, search off" in done.stdout
    assert (tmp_path / "work" / "edit-before").is_dir()
    assert (tmp_path / "work" / "edit-now" / "output" / "index.html").is_file()
