"""Measures program search against the 30 resident queries of search_queries.json.

`pytest programs/tests/test_search_quality.py -s` prints the table (README "Search"). Each
approach is run over the demo programs of the query's language: the baseline is Wagtail's search
as /programs/ used it before (full-text "and", then autocomplete), the others are programs.search.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from wagtail.models import Locale

from programs.models import ProgramPage
from programs.search import APPROACHES, document_text, matching

QUERIES_FILE = Path(__file__).with_name("search_queries.json")
BASELINE = "baseline (Wagtail search)"


@dataclass(frozen=True)
class Score:
    approach: str
    true_positives: int
    false_positives: int
    false_negatives: int
    queries_answered: int  # queries whose expected programs were all found, and nothing else

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_queries() -> list[dict]:
    return json.loads(QUERIES_FILE.read_text(encoding="utf-8"))["queries"]


def programs_in(language: str):
    locale = Locale.objects.get(language_code=language)
    return ProgramPage.objects.live().public().filter(locale=locale)


def documents(language: str) -> list[tuple[str, str]]:
    return [
        (page.slug, document_text(page.title, page.summary, page.body.get_prep_value()))
        for page in programs_in(language)
    ]


def baseline_slugs(language: str, query: str) -> set[str]:
    programs = programs_in(language)
    found = {page.slug for page in programs.search(query, operator="and")}
    return found or {page.slug for page in programs.autocomplete(query)}


def found_by(approach: str, language: str, query: str) -> set[str]:
    if approach == BASELINE:
        return baseline_slugs(language, query)
    return matching(approach, query, documents(language))


def score(approach: str, queries: list[dict]) -> Score:
    tp = fp = fn = answered = 0
    for item in queries:
        expected = set(item["expected"])
        found = found_by(approach, item["language"], item["query"])
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        answered += found == expected
    return Score(approach, tp, fp, fn, answered)


def scores() -> list[Score]:
    queries = load_queries()
    return [score(approach, queries) for approach in (BASELINE, *APPROACHES)]


def table(rows: list[Score]) -> str:
    lines = [
        "| approach | precision | recall | F1 | queries answered exactly (of 30) |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.approach} | {row.precision:.2f} ({row.true_positives}/"
            f"{row.true_positives + row.false_positives}) | {row.recall:.2f} "
            f"({row.true_positives}/{row.true_positives + row.false_negatives}) | "
            f"{row.f1:.2f} | {row.queries_answered} |"
        )
    return "\n".join(lines)
