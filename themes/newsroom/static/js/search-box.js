// The search box under the site header: results in place as you type (a combobox with a
// listbox, ARIA 1.2 pattern). Without JavaScript it is a plain GET form to the search page.
//
// This file is on every page, so it stays small: the engine and the index load only when
// the box is focused or typed in. Enter on a result opens it; Enter otherwise, or the last
// option, opens the search page with the query (?q=…). Arrows move, Escape closes.
// Article text is untrusted: options are built from text nodes only.

const SHOWN = 6;
const PAUSE_MS = 200;

const form = document.querySelector("form.search-box");
const input = form && form.querySelector("input[name=q]");

if (input) {
  const root = new URL("../../", import.meta.url);
  const list = document.createElement("ul");
  list.id = "search-box-list";
  list.className = "search-box__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "검색 결과 미리 보기");
  list.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.after(list);
  form.append(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  let engine = null;
  let timer;
  let generation = 0;
  let active = -1;

  let reload = false; // after a failure: revalidate the manifest (a new deploy)
  const load = () => {
    engine ??= import("./search-engine.js").then(async (m) => ({
      m,
      index: await m.SearchIndex.open(new URL("search-index/", root), { reload }),
    }));
    return engine;
  };

  const options = () => [...list.querySelectorAll("[role=option]")];

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function activate(i) {
    const all = options();
    if (!all.length) return;
    active = (i + all.length) % all.length;
    all.forEach((option, k) => option.setAttribute("aria-selected", String(k === active)));
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function option(id, href, text, detail) {
    const item = document.createElement("li");
    item.id = id;
    item.className = "search-box__option";
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.href = href;
    item.append(document.createTextNode(text));
    if (detail) {
      const small = document.createElement("span");
      small.className = "search-box__detail";
      small.textContent = detail;
      item.append(" ", small);
    }
    return item;
  }

  function pageHref(query) {
    const url = new URL("search/", root);
    url.searchParams.set("q", query);
    return url.href;
  }

  async function run() {
    const current = ++generation;
    const query = input.value.trim();
    if (!query) {
      close();
      list.replaceChildren();
      return;
    }
    let found;
    let docs;
    let m;
    try {
      const loaded = await load();
      m = loaded.m;
      found = await loaded.index.search(query, { prefix: true });
      docs = await Promise.all(found.numbers.slice(0, SHOWN).map((n) => loaded.index.document(n)));
    } catch (error) {
      engine = null; // try again next time (the index may be missing or being deployed)
      reload = true;
      return;
    }
    if (current !== generation) return;
    const items = docs.map((doc, i) =>
      option(`search-box-option-${i}`, m.articleHref(doc.url, root), doc.title, m.koreanDate(doc.date)),
    );
    const count = found.total.toLocaleString("ko-KR");
    const all = found.total ? `‘${query}’ 검색 결과 ${count}건 모두 보기` : `‘${query}’ 검색 결과 없음: 검색 페이지로`;
    items.push(option("search-box-option-all", pageHref(query), all));
    list.replaceChildren(...items);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    status.textContent = found.total ? `${count}건의 기사` : "찾는 기사가 없습니다";
  }

  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", () => {
    load();
    clearTimeout(timer);
    timer = setTimeout(run, PAUSE_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) {
        if (options().length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        return;
      }
      event.preventDefault();
      activate(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      location.assign(options()[active].dataset.href);
    }
  });
  list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
  list.addEventListener("click", (event) => {
    const item = event.target.closest("[role=option]");
    if (item) location.assign(item.dataset.href);
  });
  input.addEventListener("blur", close);
}
