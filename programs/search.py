"""Program search that finds inflected Georgian words ("გზა" finds "სოფლის გზების ...").

Georgian is agglutinative: a noun takes a plural (-ებ-), a case ending (-ი, -ის, -ით, -ად, -მა,
-ს) and postpositions (-ში, -ზე, -თან, -დან, -თვის ...), and many stems lose their last vowel
when a suffix is added (წყალი -> წყლის, სოფელი -> სოფლის). Wagtail's search backends (SQLite
FTS5, PostgreSQL tsvector) have no Georgian stemmer, so a resident searching "გზა" found nothing.

What is applied (chosen by measuring 30 resident queries, see programs/tests/search_queries.json
and README "Search"): a light suffix stemmer on the indexed text and on the query, then prefix
matching of the query's stems against the text's stems. The stems of each program are stored in a
real column (`ProgramPage.search_terms`, " stem stem ... "), so the same `LIKE '% stem%'` query
runs on SQLite and PostgreSQL and the HTML index and the API give the same results.
"""

import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils.html import strip_tags

QuerySetT = TypeVar("QuerySetT", bound=QuerySet)

#: Postpositions glued to a noun, longest first (they follow a case ending, removed next).
POSTPOSITIONS = (
    "ისთვის",
    "სთვის",
    "თვის",
    "ისგან",
    "იდან",
    "ამდე",
    "კენ",
    "გან",
    "დან",
    "მდე",
    "თან",
    "ვით",
    "ებრ",
    "ში",
    "ზე",
)
#: Plural and case endings, longest first.
ENDINGS = (
    "ებისა",
    "ებით",
    "ების",
    "ებმა",
    "ებად",
    "ებში",
    "ებზე",
    "ები",
    "ებს",
    "ებო",
    "ებ",
    "ითა",
    "ისა",
    "ით",
    "ის",
    "მა",
    "ად",
    "ნი",
    "თა",
    "ი",
    "ა",
    "ე",
    "ო",
    "უ",
    "ს",
    "მ",
    "თ",
    "დ",
)
GEORGIAN_VOWELS = frozenset("აეიოუ")
#: A stem keeps at least this many letters (a suffix is not stripped below it).
MIN_STEM = 2
#: Words a query may contain that say nothing about a program.
STOPWORDS = frozenset(
    {
        # Georgian
        "და",
        "ან",
        "თუ",
        "რომ",
        "ეს",
        "ის",
        "ამ",
        "იმ",
        "რა",
        "რას",
        "როგორ",
        "სად",
        "როდის",
        "მე",
        "ჩემი",
        "ჩემს",
        "ჩვენი",
        "ჩვენს",
        "არის",
        "არ",
        "უნდა",
        "მინდა",
        "ვარ",
        "კი",
        # English
        "a",
        "an",
        "the",
        "of",
        "for",
        "and",
        "or",
        "in",
        "on",
        "to",
        "with",
        "my",
        "our",
        "i",
        "is",
        "are",
        "how",
        "where",
        "what",
        "when",
    }
)
#: At most this many words of a query are used (a pasted paragraph is not a query).
MAX_QUERY_TERMS = 8
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased words of a text (letters only: numbers and punctuation separate words)."""
    return WORD.findall((text or "").lower())


def _strip_one(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def _fold_syncope(stem: str) -> str:
    """Drop the vowel of a long stem's last syllable (სოფელ -> სოფლ, წყალ -> წყლ), as the
    language itself does before a suffix; applied to text and query alike, so both forms meet."""
    if (
        len(stem) >= 4
        and stem[-1] not in GEORGIAN_VOWELS
        and stem[-2] in GEORGIAN_VOWELS
        and stem[-3] not in GEORGIAN_VOWELS
    ):
        return stem[:-2] + stem[-1]
    return stem


def stem(word: str) -> str:
    """The light stem of one lower-case word; words in other scripts are returned unchanged."""
    if not word or not ("\u10d0" <= word[0] <= "\u10ff"):
        return word
    word = _strip_one(word, POSTPOSITIONS)
    word = _strip_one(word, ENDINGS)
    return _fold_syncope(word)


def query_words(query: str) -> list[str]:
    """The meaningful words of a resident's query, in order, without repeats."""
    seen: list[str] = []
    for word in words(query):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_TERMS]


def query_stems(query: str) -> list[str]:
    stems: list[str] = []
    for word in query_words(query):
        stemmed = stem(word)
        if stemmed not in stems:
            stems.append(stemmed)
    return stems


def _strings(value: Any) -> Iterator[str]:
    """Every text inside a StreamField's stored JSON (block types and ids are not text)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("type", "id"):
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def document_text(title: str, summary: str, body: Any) -> str:
    """The searchable text of a program: its title, summary and the text of its body blocks."""
    body_text = " ".join(strip_tags(text) for text in _strings(body))
    return " ".join(part for part in (title, summary, body_text) if part)


def search_terms(text: str) -> str:
    """The stored column: every distinct stem, space-separated with a space at both ends, so
    `contains(" " + stem)` is a prefix match on a word boundary."""
    stems = dict.fromkeys(stem(word) for word in words(text))
    return f" {' '.join(stems)} " if stems else ""


def filter_by_query(queryset: QuerySetT, query: str) -> QuerySetT:
    """Programs whose text has, for every word of the query, a word with that stem as prefix.

    A query with no meaningful word (only stopwords or punctuation) finds nothing, as the
    measured approaches do."""
    stems = query_stems(query)
    if not stems:
        return queryset.none()
    condition = Q()
    for stemmed in stems:
        condition &= Q(search_terms__contains=f" {stemmed}")
    return queryset.filter(condition)


# -- The approaches that were measured (programs/tests/test_search_quality.py) ----------------


def matches_exact(query: str, text: str) -> bool:
    """Every query word appears as a whole word (what full-text search without stemming does)."""
    vocabulary = set(words(text))
    terms = query_words(query)
    return bool(terms) and all(term in vocabulary for term in terms)


def matches_stemmed(query: str, text: str) -> bool:
    """Every query word's stem equals the stem of a word of the text."""
    vocabulary = {stem(word) for word in words(text)}
    terms = query_stems(query)
    return bool(terms) and all(term in vocabulary for term in terms)


def matches_prefix(query: str, text: str) -> bool:
    """Every query word is the beginning of a word of the text (autocomplete-style)."""
    vocabulary = set(words(text))
    terms = query_words(query)
    return bool(terms) and all(any(w.startswith(term) for w in vocabulary) for term in terms)


def matches_stemmed_prefix(query: str, text: str) -> bool:
    """Every query word's stem begins a stem of the text (what `filter_by_query` does)."""
    vocabulary = {stem(word) for word in words(text)}
    terms = query_stems(query)
    return bool(terms) and all(any(w.startswith(term) for w in vocabulary) for term in terms)


APPROACHES = {
    "stemmer": matches_stemmed,
    "prefix": matches_prefix,
    "stemmer + prefix": matches_stemmed_prefix,
}


def matching(approach: str, query: str, documents: Iterable[tuple[str, str]]) -> set[str]:
    """The keys of the documents (key, text) one approach finds for a query."""
    matches = APPROACHES[approach]
    return {key for key, text in documents if matches(query, text)}
