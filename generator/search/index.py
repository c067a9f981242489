"""Finish one language's search after MkDocs has written it.

MkDocs' search plugin writes `search/search_index.json` with lunr's English
defaults. This step makes it the index of one language:

- each entry gains `title_terms` and `text_terms`: the folded and stemmed
  forms of its words (`analysis.index_terms`), indexed as fields of their own
  so result previews still show the text as written;
- the index config gets our separator and the language's lunr pipeline;
- Material's search worker gets our query analysis in front of it;
- for a copy opened from file://, the index is also written as a script,
  which is how Material loads it where fetch() cannot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .analysis import RULES, SEPARATOR, index_terms, rules_json

HERE = Path(__file__).resolve().parent
WORKERS = "assets/javascripts/workers"

# Boosts as Material gives the fields they shadow: a title match outranks text.
TERM_FIELDS = {"title_terms": ("title", 1000.0), "text_terms": ("text", 1.0)}


class SearchSetupError(Exception):
    """The site MkDocs built is not shaped as this step expects."""


@dataclass(frozen=True)
class SearchIndexReport:
    index_bytes: int
    """Size of the finished search_index.json."""


def finish_search(site_dir: Path, lang: str, offline: bool = False) -> SearchIndexReport:
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.is_file():
        raise SearchSetupError(f"{index_file}: no search index; is the search plugin on?")
    index = json.loads(index_file.read_text(encoding="utf-8"))

    config = index["config"]
    config["separator"] = SEPARATOR
    config["pipeline"] = RULES["lunr_pipeline"].get(lang, [])
    for field, (_, boost) in TERM_FIELDS.items():
        config["fields"][field] = {"boost": boost}
    finish_docs(index["docs"], lang)

    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    index_file.write_text(text, encoding="utf-8")
    if offline:
        (site_dir / "search" / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
    _teach_worker(site_dir, lang)
    return SearchIndexReport(index_bytes=len(text.encode("utf-8")))


def finish_docs(docs: list[dict], lang: str) -> list[dict]:
    """Give each entry of the index the folded and stemmed forms of its words; returns `docs`."""
    for doc in docs:
        for field, (source, _) in TERM_FIELDS.items():
            terms = index_terms(doc.get(source, ""), lang)
            if terms:
                doc[field] = " ".join(terms)
    return docs


def _teach_worker(site_dir: Path, lang: str) -> None:
    # The worker keeps Material's file name (its bundle points at it), with
    # our rules, analysis and query rewriting in front of Material's code.
    workers = sorted((site_dir / WORKERS).glob("search.*.min.js"))
    if len(workers) != 1:
        raise SearchSetupError(
            f"{site_dir / WORKERS}: expected one Material search worker, found {len(workers)}"
        )
    worker = workers[0]
    material = worker.read_text(encoding="utf-8")
    if material.startswith(_TAUGHT):
        raise SearchSetupError(f"{worker}: already has our query analysis in front")
    parts = [
        f"{_TAUGHT} = {rules_json()}",
        f"self.HinahonLanguage = {json.dumps(lang)}",
        (HERE / "analysis.js").read_text(encoding="utf-8"),
        (HERE / "worker.js").read_text(encoding="utf-8"),
        material,
    ]
    # Each part ends its own statements: a part ending in "})()" followed by
    # one starting with "(" would otherwise be read as a call.
    worker.write_text(";\n".join(parts), encoding="utf-8")


_TAUGHT = "self.HinahonRules"
