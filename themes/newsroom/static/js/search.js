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
    pagefind = await import(new URL("../../pagefind/pagefind.js", import.meta.url).href);
    await pagefind.options({ baseUrl: new URL("../../", import.meta.url).pathname });
    await pagefind.init();
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
  let results = [];
  let shown = 0;

  async function showMore(current) {
    const batch = results.slice(shown, shown + PAGE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (current !== generation) return;
    for (const d of data) list.append(renderResult(d, queryTerms));
    shown += batch.length;
    more.hidden = shown >= results.length;
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
    results = search.results;
    shown = 0;
    status.textContent = results.length
      ? `${results.length.toLocaleString("ko-KR")}건의 기사를 찾았습니다.`
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
