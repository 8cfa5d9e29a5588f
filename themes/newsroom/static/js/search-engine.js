// The search engine: reads the static index in search-index/ (built by newsarchive.search)
// and ranks articles with BM25 against the whole archive's statistics.
//
// It fetches only what a query needs: the manifest (every term chunk's first term), the
// chunks holding the query's terms, the norms (every document's length) and, for the results
// shown, one fragment per article. The query is cut into terms exactly as the index cut the
// text (newsarchive/search/tokens.py; tests/search compares the two on the same strings).
// Nothing here touches the DOM: search.js (the search page) and search-box.js (the header
// box) display the results, with text nodes only (article text is untrusted).

export const FORMAT = 2;
export const MANIFEST = "manifest.json.gz";
export const MIN_STEM = 2;
export const MAX_TERM = 32;
// One particle or ending per query word, longest first (tokens.py SUFFIXES).
export const SUFFIXES = [
  "했습니다", "합니다", "했으며", "에서는", "에서도", "에서의", "에게서", "으로서", "으로써",
  "으로는", "으로도", "이었다", "입니다", "하겠다", "했다", "한다", "하는", "했던", "하고",
  "하며", "하여", "해서", "했고", "된다", "됐다", "되는", "에서", "에게", "께서", "으로",
  "부터", "까지", "처럼", "보다", "마다", "조차", "이나", "이며", "이다", "이고", "와의",
  "과의", "에는", "에도", "로서", "로써", "로는", "로도", "였다", "은", "는", "이", "가",
  "을", "를", "의", "에", "와", "과", "도", "로", "한",
];
const SUFFIX_SET = new Set(SUFFIXES);
// Word separators (tokens.py SPACE).
const SPACE =
  "\\t\\n\\x0b\\x0c\\r\\x1c\\x1d\\x1e\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
  "\\u202f\\u205f\\u3000\\ufeff";
const WORDS = new RegExp(`[^${SPACE}]+`, "gu");
const RUNS = /([가-힣]+)|(?:(?![가-힣])[\p{L}\p{N}])+/gu;
const FILTER_MARK = "\x01";
export const FILTERS = ["section", "year", "people", "companies", "topics"];

const K1 = 1.2;
const B = 0.75;
const HEAD_BOOST = 2; // a term in the headline or a facet name (scoring.py)
const PREFIX_WEIGHT = 0.5; // a word matched as the start of a longer term counts less
const PREFIX_CHUNKS = 4; // most chunks one prefix may fetch (a one-syllable word: "한")
const BLOCK = 65536;

// ------------------------------------------------------------------------------ terms
export function normalise(text) {
  return text.normalize("NFKC").toLowerCase();
}

export function stripSuffix(run) {
  for (const suffix of SUFFIXES) {
    if (run.endsWith(suffix) && run.length - suffix.length >= MIN_STEM) {
      return run.slice(0, run.length - suffix.length);
    }
  }
  return run;
}

function pairs(run) {
  const out = [];
  for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  return out;
}

function cut(run) {
  const chars = Array.from(run);
  return chars.length > MAX_TERM ? chars.slice(0, MAX_TERM).join("") : run;
}

// The terms of each query word, as tokens.query_words gives them: [[term, ...], ...].
export function queryWords(query) {
  const found = [];
  for (const word of normalise(query).match(WORDS) || []) {
    const terms = [];
    for (const m of word.matchAll(RUNS)) {
      const run = m[0];
      if (m[1] === undefined) {
        terms.push(cut(run));
      } else if (m.index === 0 || (run.length > 1 && !SUFFIX_SET.has(run))) {
        const stem = stripSuffix(run);
        if (stem.length > 1) terms.push(...pairs(stem));
        else terms.push(stem);
      }
    }
    if (terms.length) found.push([...new Set(terms)]);
  }
  return found;
}

// Each query word as typed, without the ending stripSuffix takes off its last Hangul
// run (tokens.py stems): what an excerpt marks.
export function stems(query) {
  const found = [];
  for (const word of normalise(query).match(WORDS) || []) {
    const runs = [...word.matchAll(RUNS)];
    if (!runs.length) continue;
    const last = runs[runs.length - 1];
    let text = word.slice(runs[0].index, last.index + last[0].length);
    if (last[1] !== undefined) {
      text = text.slice(0, text.length - last[0].length + stripSuffix(last[0]).length);
    }
    found.push(text);
  }
  return found;
}

// What to mark in an excerpt: the stems, but not single Latin letters or digits.
function highlights(query) {
  return stems(query).filter((text) => [...text].length >= 2 || /[^\x00-\x7f]/.test(text));
}

export function filterTerm(name, value) {
  return `${FILTER_MARK}${name}${FILTER_MARK}${value}`;
}

// Code point order (as Python sorts strings): UTF-16 order with surrogates moved above.
function unit(c) {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

export function compareTerms(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unit(x) - unit(y);
  }
  return a.length - b.length;
}

// ------------------------------------------------------------------------------ files
function varint(bytes, at) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[at.pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
}

async function gunzip(buffer) {
  const bytes = new Uint8Array(buffer);
  // A server that sends the file with Content-Encoding: gzip has already inflated it.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const decoder = new TextDecoder();

async function json(load, path) {
  return JSON.parse(decoder.decode(await gunzip(await load(path))));
}

function parseChunk(buffer) {
  const bytes = new Uint8Array(buffer);
  const at = { pos: 0 };
  const count = varint(bytes, at);
  const heads = [];
  for (let i = 0; i < count; i++) {
    const size = varint(bytes, at);
    const term = decoder.decode(bytes.subarray(at.pos, at.pos + size));
    at.pos += size;
    heads.push([term, varint(bytes, at), varint(bytes, at)]);
  }
  const terms = new Map();
  let pos = at.pos;
  for (const [term, df, length] of heads) {
    terms.set(term, { term, df, bytes: bytes.subarray(pos, pos + length) });
    pos += length;
  }
  return terms;
}

// A posting list: { numbers: document numbers ascending, tfs: weighted counts }.
export function decodePostings(entry, weighted) {
  const bytes = entry.bytes;
  const numbers = new Float64Array(entry.df);
  const tfs = new Uint8Array(entry.df);
  const at = { pos: 0 };
  let key = 0;
  let n = 0;
  while (at.pos < bytes.length) {
    key += varint(bytes, at);
    const count = varint(bytes, at);
    const base = key * BLOCK;
    let pos = at.pos;
    for (let i = 0; i < count; i++, pos += 2) numbers[n + i] = base + ((bytes[pos] << 8) | bytes[pos + 1]);
    if (weighted) {
      tfs.set(bytes.subarray(pos, pos + count), n);
      pos += count;
    }
    n += count;
    at.pos = pos;
  }
  return { numbers, tfs };
}

// A length code (4 significant bits) back to the middle of its lengths (norms.py).
export function codeLength(code) {
  if (code < 16) return code;
  const exponent = (code - 16) >> 3;
  const mantissa = (code - 16) & 7;
  return (8 + mantissa) * 2 ** exponent + Math.floor(2 ** exponent / 2);
}

// ------------------------------------------------------------------------------ index
export class SearchIndex {
  // load(path) resolves to the bytes of a file of the index folder (an ArrayBuffer).
  constructor(manifest, load) {
    if (manifest.format !== FORMAT) throw new Error(`index format ${manifest.format}`);
    this.manifest = manifest;
    this.load = load;
    this.firsts = manifest.chunks.map((c) => c[0]);
    this.chunks = new Map(); // chunk index -> Promise<Map term -> entry>
    this.fragments = new Map();
    this.avgLength = manifest.documents ? manifest.length / manifest.documents : 1;
  }

  // options.load(path) replaces fetch (tests); options.reload: revalidate the manifest
  // (after a file it names was missing: the site was deployed again meanwhile).
  static async open(base, options = {}) {
    const load =
      options.load ||
      (async (path) => {
        // Every other file is named by a hash of its content or a document number, so only
        // the manifest can be stale.
        const init = path === MANIFEST && options.reload ? { cache: "reload" } : {};
        const response = await fetch(new URL(path, base), init);
        if (!response.ok) {
          const error = new Error(`${path}: HTTP ${response.status}`);
          error.stale = response.status === 404 && path !== MANIFEST;
          throw error;
        }
        return response.arrayBuffer();
      });
    return new SearchIndex(await json(load, MANIFEST), load);
  }

  get size() {
    return this.manifest.documents;
  }

  chunkIndex(term) {
    let lo = 0;
    let hi = this.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareTerms(this.firsts[mid], term) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  chunk(i) {
    if (!this.chunks.has(i)) {
      const name = this.manifest.chunks[i][1];
      this.chunks.set(i, this.load(`t/${name}.bin`).then(parseChunk));
    }
    return this.chunks.get(i);
  }

  async entry(term) {
    if (!this.firsts.length) return null;
    return (await this.chunk(this.chunkIndex(term))).get(term) || null;
  }

  // Entries of the terms starting with prefix (from at most PREFIX_CHUNKS chunks).
  async prefixed(prefix) {
    if (!this.firsts.length) return [];
    const first = this.chunkIndex(prefix);
    let last = first;
    while (
      last + 1 < this.firsts.length &&
      last + 1 - first < PREFIX_CHUNKS &&
      this.firsts[last + 1].startsWith(prefix)
    ) {
      last++;
    }
    const found = [];
    for (let i = first; i <= last; i++) {
      for (const [term, entry] of await this.chunk(i)) {
        if (term.startsWith(prefix)) found.push(entry);
      }
    }
    return found;
  }

  // Map number -> body length (norms.py: u32 count, u32 number differences, u8 codes).
  norms() {
    if (!this.normsPromise) {
      this.normsPromise = this.load(`norms-${this.manifest.norms}.bin.gz`)
        .then(gunzip)
        .then((bytes) => {
          const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          const count = view.getUint32(0, true);
          const lengths = new Map();
          let number = 0;
          for (let i = 0; i < count; i++) {
            number += view.getUint32(4 + 4 * i, true);
            lengths.set(number, codeLength(bytes[4 + 4 * count + i]));
          }
          return lengths;
        });
    }
    return this.normsPromise;
  }

  filterValues() {
    if (!this.filtersPromise) {
      this.filtersPromise = json(this.load, `filters-${this.manifest.filters}.json.gz`);
    }
    return this.filtersPromise;
  }

  document(number) {
    if (!this.fragments.has(number)) {
      this.fragments.set(number, json(this.load, `d/${number}.json.gz`));
    }
    return this.fragments.get(number);
  }

  idf(df) {
    const n = this.manifest.documents;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  // Scores of the documents holding one query term: Map number -> score.
  async termScores(term, prefix, lengthsLoading) {
    const oneSyllable = /^[가-힣]$/.test(term);
    const entries = [];
    if (oneSyllable || prefix) {
      for (const entry of await this.prefixed(term)) entries.push(entry);
    } else {
      const entry = await this.entry(term);
      if (entry) entries.push(entry);
    }
    const lengths = await lengthsLoading;
    const scores = new Map();
    for (const entry of entries) {
      const exact = entry.term === term;
      const idf = this.idf(entry.df) * (exact ? 1 : PREFIX_WEIGHT);
      const { numbers, tfs } = decodePostings(entry, true);
      for (let i = 0; i < numbers.length; i++) {
        const head = tfs[i] >> 6;
        const body = tfs[i] & 63;
        let part = 0;
        if (body) {
          const length = lengths.get(numbers[i]) ?? this.avgLength;
          part += (body * (K1 + 1)) / (body + K1 * (1 - B + (B * length) / this.avgLength));
        }
        if (head) part += (HEAD_BOOST * head * (K1 + 1)) / (head + K1);
        const score = idf * part;
        const old = scores.get(numbers[i]);
        if (old === undefined || score > old) scores.set(numbers[i], score);
      }
    }
    return scores;
  }

  async filterSet(name, value) {
    const entry = await this.entry(filterTerm(name, value));
    return new Set(entry ? decodePostings(entry, false).numbers : []);
  }

  // Ranked document numbers for a query. options: { filters: {name: value}, sort: "date"
  // for newest first, prefix: true to match the last word as the start of a term (as
  // typed, while the query is still being written) }.
  // Resolves to { numbers, scores, total, partial } (partial: no article held every word,
  // these hold some).
  async search(query, options = {}) {
    const words = queryWords(query || "");
    const filters = Object.entries(options.filters || {}).filter(
      ([name, value]) => FILTERS.includes(name) && value,
    );
    if (!words.length && !filters.length) return { numbers: [], scores: [], total: 0, partial: false };
    // the norms load beside the chunks (termScores waits for them once it has its postings)
    const lengths = words.length ? this.norms() : Promise.resolve(new Map());
    const [wordScores, filterSets] = await Promise.all([
      Promise.all(
        words.map(async (terms, w) => {
          const last = options.prefix && w === words.length - 1;
          const perTerm = await Promise.all(
            terms.map((term, t) => this.termScores(term, last && t === terms.length - 1, lengths)),
          );
          return intersect(perTerm);
        }),
      ),
      Promise.all(filters.map(([name, value]) => this.filterSet(name, value))),
    ]);
    let partial = false;
    let scores;
    if (words.length) {
      // A one-syllable word beside others (a unit: "99조 원", or a stray syllable) only
      // adds to the score: it is matched as the start of a pair, which misses it when it
      // stands alone in the text.
      const loose = words.map((terms) => terms.length === 1 && /^[가-힣]$/.test(terms[0]));
      const required = wordScores.filter((_, i) => !loose[i]);
      scores = intersect(required.length ? required : wordScores);
      if (required.length && required.length < wordScores.length) {
        for (const [i, map] of wordScores.entries()) {
          if (!loose[i]) continue;
          for (const [number, score] of map) {
            if (scores.has(number)) scores.set(number, scores.get(number) + score);
          }
        }
      }
      if (!scores.size && words.length > 1) {
        scores = union(wordScores);
        partial = scores.size > 0;
      }
    } else {
      scores = new Map();
      for (const number of filterSets[0]) scores.set(number, 0);
    }
    for (const set of filterSets) {
      for (const number of [...scores.keys()]) if (!set.has(number)) scores.delete(number);
    }
    const numbers = [...scores.keys()];
    if (options.sort === "date" || !words.length) {
      numbers.sort((a, b) => b - a);
    } else {
      numbers.sort((a, b) => scores.get(b) - scores.get(a) || b - a);
    }
    return { numbers, scores: numbers.map((n) => scores.get(n)), total: numbers.length, partial };
  }
}

// Documents in every map, their scores summed (smallest map first).
function intersect(maps) {
  if (!maps.length) return new Map();
  const sorted = [...maps].sort((a, b) => a.size - b.size);
  const result = new Map();
  outer: for (const [number, score] of sorted[0]) {
    let total = score;
    for (let i = 1; i < sorted.length; i++) {
      const other = sorted[i].get(number);
      if (other === undefined) continue outer;
      total += other;
    }
    result.set(number, total);
  }
  // the same sum in query order, whatever the sizes: scores do not depend on them
  for (const number of result.keys()) {
    let total = 0;
    for (const map of maps) total += map.get(number);
    result.set(number, total);
  }
  return result;
}

function union(maps) {
  const result = new Map();
  for (const map of maps) {
    for (const [number, score] of map) result.set(number, (result.get(number) || 0) + score);
  }
  return result;
}

// ------------------------------------------------------------------------------ excerpts
// [{text, mark}] pieces of about `length` characters of the article around the query's
// words, the words marked.
export function excerpt(paragraphs, query, length = 160) {
  const text = paragraphs.join(" ");
  const lower = text.toLowerCase();
  const needles = lower.length === text.length ? highlights(query) : [];
  const hits = [];
  for (const needle of needles) {
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
      hits.push([at, at + needle.length]);
    }
  }
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const hit of hits) {
    const last = merged[merged.length - 1];
    if (last && hit[0] <= last[1]) last[1] = Math.max(last[1], hit[1]);
    else merged.push([...hit]);
  }
  let start = 0;
  let best = -1;
  for (const [from] of merged) {
    const count = merged.filter(([a, b]) => a >= from && b <= from + length).length;
    if (count > best) {
      best = count;
      start = from;
    }
  }
  if (start > 0) {
    start = Math.max(0, start - Math.floor(length / 4));
    const space = text.lastIndexOf(" ", start);
    start = space > start - 20 && space >= 0 ? space + 1 : start;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.indexOf(" ", end);
    end = space >= 0 && space < end + 20 ? space : end;
  }
  const pieces = [];
  if (start > 0) pieces.push({ text: "… ", mark: false });
  let at = start;
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    if (from > at) pieces.push({ text: text.slice(at, from), mark: false });
    pieces.push({ text: text.slice(from, to), mark: true });
    at = to;
  }
  if (at < end) pieces.push({ text: text.slice(at, end), mark: false });
  if (end < text.length) pieces.push({ text: " …", mark: false });
  return pieces;
}

// "2024-06-08" -> "2024년 6월 8일" (explicit: never the browser's locale)
export function koreanDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[1]}년 ${Number(m[2])}월 ${Number(m[3])}일` : "";
}

// A site-relative article URL resolved against the site's root; "#" for anything else.
export function articleHref(url, root) {
  if (typeof url !== "string" || /^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(url)) return "#";
  const resolved = new URL(url, root);
  const base = new URL(root);
  return resolved.origin === base.origin && resolved.pathname.startsWith(base.pathname)
    ? resolved.href
    : "#";
}
