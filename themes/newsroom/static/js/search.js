// The search page: results as you type, filters, newest-first, the query kept in the URL.
//
// The engine (search-engine.js) starts loading the index as soon as this module runs; the
// page shows the first results of a ?q=… address without waiting for the filter lists.
// Everything from the index is inserted as text (textContent, text nodes): article text
// comes from raw dumps and is untrusted.

import { FILTERS, SearchIndex, articleHref, excerpt, koreanDate } from "./search-engine.js";

const ROOT = new URL("../../", import.meta.url); // the site's root (works under a subpath)
const LABELS = {
  section: "섹션",
  year: "연도",
  people: "인물",
  companies: "기업·기관",
  topics: "주제",
};
const PAGE = 10;
const PAUSE_MS = 200; // results as you type, after this pause

const INDEX = new URL("search-index/", ROOT);
const opening = SearchIndex.open(INDEX);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// An article's text for its excerpt comes from its own page, the one copy of it the site
// publishes (the index's fragments leave the body out): the page's body read as the indexer
// reads it (newsarchive/search/pages.py), one paragraph per outermost block element, <br>
// a space. Each page is fetched once (the browser caches it too); text only, never markup.
const BLOCKS = new Set([
  "P", "LI", "FIGCAPTION", "BLOCKQUOTE", "H2", "H3", "H4", "H5", "H6", "PRE", "TD", "TH",
]);
const pageTexts = new Map();

function collapse(text) {
  return text.split(/\s+/).filter(Boolean).join(" ");
}

function blockText(node) {
  let text = "";
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) text += child.data;
    else if (child.nodeType === Node.ELEMENT_NODE) {
      text += child.tagName === "BR" ? " " : blockText(child);
    }
  }
  return text;
}

function paragraphsOf(body) {
  const found = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = collapse(child.data);
        if (text) found.push(text);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (!BLOCKS.has(child.tagName)) walk(child);
        else {
          const text = collapse(blockText(child));
          if (text) found.push(text);
        }
      }
    }
  };
  walk(body);
  return found;
}

function articleParagraphs(href) {
  if (!pageTexts.has(href)) {
    const reading = fetch(href)
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const body = page.querySelector(".article__body");
        return body ? paragraphsOf(body) : [];
      })
      .catch(() => []); // no excerpt (offline, or the site was deployed again meanwhile)
    pageTexts.set(href, reading);
  }
  return pageTexts.get(href);
}

export function renderResult(doc, query) {
  const item = el("li", "search-result");
  const title = el("h2", "search-result__title");
  const href = articleHref(doc.url, ROOT);
  const link = el("a", null, doc.title || doc.url);
  link.href = href;
  title.append(link);
  item.append(title);
  const facts = [koreanDate(doc.date), doc.section].filter(Boolean);
  if (facts.length) item.append(el("p", "search-result__meta", facts.join(" · ")));
  const text = el("p", "search-result__excerpt");
  item.append(text);
  if (href !== "#") {
    articleParagraphs(href).then((paragraphs) => {
      for (const piece of excerpt(paragraphs, query)) {
        text.append(piece.mark ? el("mark", null, piece.text) : document.createTextNode(piece.text));
      }
    });
  }
  return item;
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

  let index;
  try {
    index = await opening;
  } catch (error) {
    document.getElementById("search-missing").hidden = false;
    form.querySelector("button").disabled = true;
    input.disabled = true;
    return;
  }

  // Filters from the address until the lists arrive; then the selects hold them.
  const selects = {};
  const chosen = {};
  for (const name of FILTERS) if (params.get(name)) chosen[name] = params.get(name);
  let sort = params.get("sort") === "date" ? "date" : "";

  let generation = 0;
  let retried = false;
  let found = null;
  let shown = 0;
  let query = "";

  // Results are shown one by one, in order, as their fragments arrive (all are requested
  // at once).
  async function showMore(current) {
    const loading = found.numbers.slice(shown, shown + PAGE).map((n) => index.document(n));
    for (const next of loading) {
      const doc = await next;
      if (current !== generation) return;
      list.append(renderResult(doc, query));
      shown += 1;
    }
    more.hidden = shown >= found.total;
  }

  function state() {
    const filters = {};
    for (const name of FILTERS) {
      const value = selects[name] ? selects[name].value : chosen[name];
      if (value) filters[name] = value;
    }
    if (selects.sort) sort = selects.sort.value;
    return filters;
  }

  async function run({ typing = false } = {}) {
    const current = ++generation;
    query = input.value.trim();
    const filters = state();
    const address = new URLSearchParams();
    if (query) address.set("q", query);
    for (const [name, value] of Object.entries(filters)) address.set(name, value);
    if (sort) address.set("sort", sort);
    const search = address.toString();
    history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}`);
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = "검색 중…";
    let result;
    try {
      result = await index.search(query, { filters, sort, prefix: typing });
      if (current !== generation) return;
      found = result;
      shown = 0;
      list.replaceChildren();
      more.hidden = true;
      await showMore(current);
    } catch (error) {
      // A file the manifest named is gone: the site was deployed again since it loaded.
      if (!error.stale || retried) throw error;
      retried = true;
      index = await SearchIndex.open(INDEX, { reload: true });
      return run({ typing });
    }
    if (current !== generation) return;
    const count = result.total.toLocaleString("ko-KR");
    if (!result.total) {
      status.textContent = "찾는 기사가 없습니다. 검색어를 줄이거나 다른 낱말로 찾아보세요.";
    } else if (result.partial) {
      status.textContent = `모든 낱말이 들어 있는 기사는 없어, 일부가 들어 있는 기사 ${count}건을 보여 드립니다.`;
    } else {
      status.textContent = `${count}건의 기사를 찾았습니다.`;
    }
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run({ typing: true }), PAUSE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", () => showMore(generation));
  // Arrows move between the results' links; Escape goes back to the search box.
  form.addEventListener("keydown", (event) => {
    if (event.target === input && event.key === "ArrowDown") {
      const first = list.querySelector("a");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  list.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll(".search-result__title a")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
    } else if (at >= 0 && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus();
      else if (next < links.length) links[next].focus();
      else if (!more.hidden) more.focus();
    }
  });
  filterBox.addEventListener("change", () => run());

  // The filter lists (thousands of names) are built once the first results are shown:
  // building them first would hold those results back.
  const values = index.filterValues();
  await run();
  try {
    const lists = await values;
    for (const name of FILTERS) {
      const options = lists[name] || [];
      if (!options.length) continue;
      if (name === "year") options.reverse(); // newest first; the rest in code point order
      const wrap = el("label", "search-filter");
      wrap.append(el("span", "search-filter__label", LABELS[name]));
      const select = el("select");
      select.name = name;
      select.append(new Option("전체", ""));
      for (const [value, count] of options) select.append(new Option(`${value} (${count})`, value));
      select.value = chosen[name] || "";
      wrap.append(select);
      filterBox.append(wrap);
      selects[name] = select;
    }
    const wrap = el("label", "search-filter");
    wrap.append(el("span", "search-filter__label", "정렬"));
    const select = el("select");
    select.name = "sort";
    select.append(new Option("관련도순", ""), new Option("최신순", "date"));
    select.value = sort;
    wrap.append(select);
    filterBox.append(wrap);
    selects.sort = select;
    filterBox.hidden = false;
  } catch (error) {
    // Filters are a convenience: searching works without them.
  }
}

if (typeof document !== "undefined") start();
