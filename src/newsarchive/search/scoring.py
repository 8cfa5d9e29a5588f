"""What the index stores of each term in a document: how often it occurs, and where.

The browser ranks with BM25 over two fields. For each query term, a document scores

    idf × ( body·(k1+1) / (body + k1·(1 − b + b·length/avglength))
            + HEAD_BOOST · head·(k1+1) / (head + k1) )

where *body* counts the term in the article's paragraphs, *head* in its headline and its
people/companies/topics names (the words a story is about; short, so not length-normalised),
*length* is the body's number of terms, and *idf* and *avglength* are the whole archive's: the
df stored beside each posting list, the number of documents and their total length in the
manifest. So every document is scored against the same global statistics whatever chunk or
file its postings live in, and one document's edit changes the postings of the terms whose
counts changed, not of every term it has (its length lives in the norms file, see index.py).

The two counts share the posting's byte: ``head << 6 | body`` (head at most 3, body at most
63). Filters (section, year and the three facets) are terms too, without counts:
``"\x01section\x01경제"``.
"""

from __future__ import annotations

from newsarchive.search.documents import SearchDocument

MAX_HEAD = 3
MAX_BODY = 63
FILTER_MARK = "\x01"  # starts every filter term; no text term can contain it
FILTERS = ("section", "year", "people", "companies", "topics")


def filter_term(name: str, value: str) -> str:
    return f"{FILTER_MARK}{name}{FILTER_MARK}{value}"


def is_filter(term: str) -> bool:
    return term.startswith(FILTER_MARK)


def document_terms(document: SearchDocument) -> tuple[dict[str, int], int]:
    """Every term of *document* with its packed counts (0 for filter terms), and the body's
    length in terms."""
    from newsarchive.search import tokens  # (its patterns: only when a document is indexed)

    body = tokens.term_counts("\n".join(document.paragraphs))
    head = tokens.term_counts(
        "\n".join((document.title, *document.people, *document.companies, *document.topics))
    )
    found = {term: min(n, MAX_BODY) for term, n in body.items()}
    for term, n in head.items():
        found[term] = min(n, MAX_HEAD) << 6 | found.get(term, 0)
    values = {
        "section": [document.section] if document.section else [],
        "year": [document.date[:4]] if document.date[:4].isdigit() else [],
        "people": document.people,
        "companies": document.companies,
        "topics": document.topics,
    }
    for name in FILTERS:
        for value in values[name]:
            found[filter_term(name, value)] = 0
    return found, body.total()
