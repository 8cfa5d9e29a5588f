// The search page: Pagefind's JS API, Korean query normalisation, safe excerpts.
//
// The index (built by newsarchive.search) stores each article's text with extra Korean
// search terms after each word, every one prefixed with MARKER (U+2063): "LG전자가 ⁣lg전자
// ⁣lg ⁣전자". Pagefind ignores the marker when matching; this script drops marked words
// when it builds an excerpt and moves their highlight onto the word they belong to, so
// readers only ever see the article's own text.
//
// Kiwi (the analyser behind those terms) cannot run in a browser, so queries get a small
// context-free rule set instead: one particle or ending is stripped from each word
// (QUERY_SUFFIXES, the same list as newsarchive/search/segment.py). A stripped word is a
// prefix of the word typed, and Pagefind matches prefixes, so this never loses a result.
//
// Every piece of text from the index is inserted with textContent or as a text node:
// article text comes from raw dumps and is untrusted.
//
// The index is split into shards (one Pagefind run each keeps the build's memory bounded;
// see newsarchive/search/shards.py): the primary bundle in pagefind/ and the others in
// pagefind/shard-NN/, listed by pagefind/newsarchive-shards.json. ShardedIndex searches
// them all as one index (see below).

export const MARKER = "\u2063";
export const MIN_STEM = 2;
export const QUERY_SUFFIXES = [
  "했습니다", "합니다", "했으며", "에서는", "에서도", "에서의", "에게서", "으로서", "으로써",
  "으로는", "으로도", "이었다", "입니다", "하겠다", "했다", "한다", "하는", "했던", "하고",
  "하며", "하여", "해서", "했고", "된다", "됐다", "되는", "에서", "에게", "께서", "으로",
  "부터", "까지", "처럼", "보다", "마다", "조차", "이나", "이며", "이다", "이고", "와의",
  "과의", "에는", "에도", "로서", "로써", "로는", "로도", "였다", "은", "는", "이", "가",
  "을", "를", "의", "에", "와", "과", "도", "로", "한",
];

export function normaliseWord(word) {
  word = word.normalize("NFC");
  if (!/[가-힣]$/.test(word)) return word;
  for (const suffix of QUERY_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_STEM) {
      return word.slice(0, word.length - suffix.length);
    }
  }
  return word;
}

export function normaliseQuery(query) {
  return query.split(/\s+/).filter(Boolean).map(normaliseWord).join(" ");
}

// content: Pagefind's stored text; locations: word indexes of the hits; skip: words of
// the headline at the start of content (shown separately); terms: the (normalised) query
// words, to mark only the matching part of a word (LG전자 in LG전자가). Returns
// [{text, mark}] pieces.
export function buildExcerpt(content, locations, skip = 0, length = 30, terms = []) {
  const words = content.split(/[\r\n\s]+/g);
  const hits = new Map(); // index of an original word -> terms that hit it (null: itself)
  for (const loc of locations) {
    let i = loc;
    while (i > 0 && (words[i] || "").startsWith(MARKER)) i--;
    const word = words[loc] || "";
    if (!hits.has(i)) hits.set(i, []);
    if (word.startsWith(MARKER)) {
      hits.get(i).push(word.slice(MARKER.length));
    } else {
      // Pagefind matched a query word as a prefix of this word: mark that query word.
      const lower = word.toLowerCase();
      const own = terms.filter((t) => t && lower.includes(t.toLowerCase()));
      hits.get(i).push(...(own.length ? own : [null]));
    }
  }
  const originals = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] && !words[i].startsWith(MARKER)) originals.push(i);
  }
  let pool = originals.filter((i) => i >= skip);
  if (!pool.length) pool = originals;
  let best = 0;
  let bestScore = -1;
  for (let s = 0; s < Math.max(1, pool.length - length + 1); s++) {
    let score = 0;
    for (let k = s; k < Math.min(pool.length, s + length); k++) if (hits.has(pool[k])) score++;
    if (score > bestScore) { best = s; bestScore = score; }
    if (pool.length <= length) break;
  }
  const pieces = [];
  if (best > 0) pieces.push({ text: "… ", mark: false });
  const end = Math.min(pool.length, best + length);
  for (let k = best; k < end; k++) {
    const word = words[pool[k]];
    pieces.push(...markWord(word, hits.get(pool[k])));
    if (k < end - 1) pieces.push({ text: " ", mark: false });
  }
  if (end < pool.length) pieces.push({ text: " …", mark: false });
  return pieces;
}

function markWord(word, terms) {
  if (!terms) return [{ text: word, mark: false }];
  if (terms.includes(null)) return [{ text: word, mark: true }];
  const lower = word.toLowerCase();
  let at = -1;
  let len = 0;
  for (const term of terms) {
    const found = lower.indexOf(term.toLowerCase());
    if (found >= 0 && term.length > len) { at = found; len = term.length; }
  }
  if (at < 0) return [{ text: word, mark: true }];
  return [
    { text: word.slice(0, at), mark: false },
    { text: word.slice(at, at + len), mark: true },
    { text: word.slice(at + len), mark: false },
  ].filter((p) => p.text);
}

// ------------------------------------------------------------------------------ shards
// Each merged shard is tagged with this synthetic filter (Pagefind's mergeFilter option).
export const SHARD_FILTER = "newsarchive-shard";
const SHARD_PATH = /^shard-\d+\/$/;

// All shards as one index. Pagefind's own mergeIndex merges relevance rankings (it sorts
// every instance's results by score) but not a sort: with `sort`, an instance's scores are
// positions in its own sorted list, so results of different shards would interleave
// wrongly. Here each shard is searched on its own, so "newest first" can be merged by
// date exactly. Every shard gets its own Pagefind instance built on the primary bundle
// (one pagefind.js and one WebAssembly module for all) with the shard merged in; the
// primary's own pages are tagged "00" and filtered out of the other instances' results.
export class ShardedIndex {
  constructor(parts) {
    this.parts = parts; // [{ pf, tag }], tag null for the primary alone
  }

  static async open(pagefindUrl, baseUrl) {
    const [module, list] = await Promise.all([
      import(new URL("pagefind.js", pagefindUrl).href),
      fetch(new URL("newsarchive-shards.json", pagefindUrl), { cache: "no-cache" }).then((r) => {
        if (!r.ok) throw new Error(`shard list: HTTP ${r.status}`);
        return r.json();
      }),
    ]);
    const paths = Array.isArray(list?.shards) ? list.shards : [];
    if (!paths.every((p) => typeof p === "string" && SHARD_PATH.test(p))) {
      throw new Error("unexpected shard list");
    }
    const primary = module.createInstance({ baseUrl });
    // The first instance loads the WebAssembly module; later ones reuse it, so they start
    // only once it is there.
    await primary.filters();
    const parts = [{ pf: primary, tag: null }];
    await Promise.all(
      paths.map(async (path) => {
        const tag = path.slice("shard-".length, -1);
        const pf = module.createInstance({ baseUrl, mergeFilter: { [SHARD_FILTER]: "00" } });
        await pf.mergeIndex(new URL(path, pagefindUrl).pathname, {
          baseUrl,
          mergeFilter: { [SHARD_FILTER]: tag },
        });
        parts.push({ pf, tag });
      }),
    );
    parts.sort((a, b) => (a.tag || "").localeCompare(b.tag || ""));
    return new ShardedIndex(parts);
  }

  // Filter values with their article counts over the whole archive.
  async filters() {
    const all = await Promise.all(this.parts.map((p) => p.pf.filters()));
    const merged = {};
    const add = (filters, sign) => {
      for (const [key, values] of Object.entries(filters || {})) {
        if (key === SHARD_FILTER) continue;
        merged[key] ??= {};
        for (const [value, count] of Object.entries(values)) {
          merged[key][value] = (merged[key][value] || 0) + sign * count;
        }
      }
    };
    all.forEach((filters, i) => {
      add(filters, 1);
      if (i > 0) add(all[0], -1); // that instance also holds the primary's pages
    });
    for (const values of Object.values(merged)) {
      for (const [value, count] of Object.entries(values)) if (count <= 0) delete values[value];
    }
    return merged;
  }

  // {total, next(n)}: next resolves to the data of the next n results, best first.
  async search(term, options) {
    const searches = await Promise.all(
      this.parts.map((p) =>
        p.pf.search(
          term,
          p.tag ? { ...options, filters: { ...options.filters, [SHARD_FILTER]: p.tag } } : options,
        ),
      ),
    );
    if (searches.some((s) => !s)) return null;
    const lists = searches.map((s) => s.results);
    const total = lists.reduce((sum, l) => sum + l.length, 0);
    return options.sort ? new DateMerge(lists, total) : new ScoreMerge(lists, total);
  }
}

// Relevance: the same merge as Pagefind's mergeIndex (by score, ties in shard order).
class ScoreMerge {
  constructor(lists, total) {
    this.results = lists.flat().sort((a, b) => b.score - a.score);
    this.total = total;
    this.shown = 0;
  }

  async next(n) {
    const batch = this.results.slice(this.shown, this.shown + n);
    this.shown += batch.length;
    return Promise.all(batch.map((r) => r.data()));
  }
}

// Newest first: each shard's list is already in date order, so a k-way merge on the
// dates of the lists' heads; only the heads' data are loaded (n + shards fragments).
export class DateMerge {
  constructor(lists, total) {
    this.lists = lists;
    this.total = total;
    this.at = lists.map(() => 0);
    this.loaded = new Map();
  }

  head(i) {
    const result = this.lists[i][this.at[i]];
    if (!result) return null;
    if (!this.loaded.has(result)) this.loaded.set(result, result.data());
    return this.loaded.get(result);
  }

  async next(n) {
    const out = [];
    while (out.length < n) {
      const heads = await Promise.all(this.lists.map((_, i) => this.head(i)));
      let best = -1;
      heads.forEach((data, i) => {
        if (data && (best < 0 || (data.meta?.date || "") > (heads[best].meta?.date || ""))) {
          best = i;
        }
      });
      if (best < 0) break;
      out.push(heads[best]);
      this.loaded.delete(this.lists[best][this.at[best]]);
      this.at[best]++;
    }
    return out;
  }
}

// ------------------------------------------------------------------------------ page
const FILTERS = [
  ["section", "섹션"],
  ["year", "연도"],
  ["people", "인물"],
  ["companies", "기업·기관"],
  ["topics", "주제"],
];
const PAGE = 10;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function safeHref(url) {
  return typeof url === "string" && /^(\/|https?:\/\/)/.test(url) ? url : "#";
}

async function start() {
  const form = document.getElementById("search-form");
  if (!form) return;
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const filterBox = document.getElementById("search-filters");
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";

  let pagefind;
  try {
    pagefind = await ShardedIndex.open(
      new URL("../../pagefind/", import.meta.url),
      new URL("../../", import.meta.url).pathname,
    );
  } catch (error) {
    document.getElementById("search-missing").hidden = false;
    form.querySelector("button").disabled = true;
    input.disabled = true;
    return;
  }

  const selects = {};
  try {
    const available = await pagefind.filters();
    for (const [key, label] of FILTERS) {
      const values = Object.keys(available[key] || {}).sort((a, b) =>
        key === "year" ? b.localeCompare(a) : a.localeCompare(b, "ko"));
      if (!values.length) continue;
      const wrap = el("label", "search-filter");
      wrap.append(el("span", "search-filter__label", label));
      const select = el("select");
      select.name = key;
      select.append(new Option("전체", ""));
      for (const value of values) {
        select.append(new Option(`${value} (${available[key][value]})`, value));
      }
      select.value = params.get(key) || "";
      wrap.append(select);
      filterBox.append(wrap);
      selects[key] = select;
    }
    const sortWrap = el("label", "search-filter");
    sortWrap.append(el("span", "search-filter__label", "정렬"));
    const sort = el("select");
    sort.name = "sort";
    sort.append(new Option("관련도순", ""), new Option("최신순", "date"));
    sort.value = params.get("sort") === "date" ? "date" : "";
    sortWrap.append(sort);
    filterBox.append(sortWrap);
    selects.sort = sort;
    filterBox.hidden = false;
  } catch (error) {
    // Filters are a convenience: search still works without them.
  }

  let generation = 0;
  let queryTerms = [];
  let results = null;
  let shown = 0;

  async function showMore(current) {
    const data = await results.next(PAGE);
    if (current !== generation) return;
    for (const d of data) list.append(renderResult(d, queryTerms));
    shown += data.length;
    more.hidden = shown >= results.total;
  }

  async function run() {
    const current = ++generation;
    const q = input.value.trim();
    const filters = {};
    for (const [key] of FILTERS) if (selects[key]?.value) filters[key] = selects[key].value;
    const state = new URLSearchParams();
    if (q) state.set("q", q);
    for (const [key, value] of Object.entries(filters)) state.set(key, value);
    if (selects.sort?.value) state.set("sort", selects.sort.value);
    const query = state.toString();
    history.replaceState(null, "", `${location.pathname}${query ? `?${query}` : ""}`);
    list.replaceChildren();
    more.hidden = true;
    if (!q && !Object.keys(filters).length) {
      status.textContent = "";
      return;
    }
    const options = { filters };
    if (selects.sort?.value === "date") options.sort = { date: "desc" };
    status.textContent = "검색 중…";
    queryTerms = normaliseQuery(q).split(" ").filter(Boolean);
    const search = await pagefind.search(q ? normaliseQuery(q) : null, options);
    if (current !== generation || !search) return;
    results = search;
    shown = 0;
    status.textContent = results.total
      ? `${results.total.toLocaleString("ko-KR")}건의 기사를 찾았습니다.`
      : "찾는 기사가 없습니다. 검색어를 줄이거나 다른 낱말로 찾아보세요.";
    await showMore(current);
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  filterBox.addEventListener("change", run);
  more.addEventListener("click", () => showMore(generation));
  await run();
}

function renderResult(data, terms) {
  const item = el("li", "search-result");
  const title = el("h2", "search-result__title");
  const link = el("a", null, data.meta?.title || data.url);
  link.href = safeHref(data.url);
  title.append(link);
  item.append(title);
  const facts = [data.meta?.date, ...(data.filters?.section || [])].filter(Boolean);
  if (facts.length) item.append(el("p", "search-result__meta", facts.join(" · ")));
  const excerpt = el("p", "search-result__excerpt");
  const skip = Number.parseInt(data.meta?.tw || "0", 10) || 0;
  const pieces = buildExcerpt(data.content || "", data.locations || [], skip, 30, terms);
  for (const piece of pieces) {
    excerpt.append(piece.mark ? el("mark", null, piece.text) : document.createTextNode(piece.text));
  }
  item.append(excerpt);
  return item;
}

if (typeof document !== "undefined") {
  start();
}
