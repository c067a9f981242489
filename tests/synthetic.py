"""Synthetic content for `make bench` at scale: N customer types and the rest in proportion.

    python tests/synthetic.py N OUT_DIR

writes a complete content tree (which `python -m generator check` accepts)
into OUT_DIR, which must be empty or not exist yet. It is made from the real
content/, so its pages and search index are the size of real ones:

- every kind (generator/layout.py KINDS) gets N times as many entries as the
  real content has per customer type, rounded, at least one: 41 tactics,
  16 phrase banks and 7 guides for 21 types give 20, 8 and 3 for N = 10;
  phrases are about 8 per type (166 for 21), shared out over the banks;
- entry j of a kind is a copy of real entry j mod len(real) with a new id and
  title (`stay-calm-3`, "Stay calm and collected 53"), about a quarter of its
  list items (signs, steps, sections, ...) swapped for those of other real
  entries of the kind, and its lists shuffled: the words vary, the sizes do not;
- each customer type lists its "own" tactics and phrases (every tactic and
  phrase belongs to one type, as in the real content) plus others drawn at
  random, as many as its real model lists; its cheat sheet is four of them;
  it links the first copy of each guide its model links, and the safety
  guide is always copied first, so a type that can turn dangerous has it;
- the single files (languages.yaml, sources.yaml, glossary.yaml) are copied
  as they are, so every citation names a real source.

Same N, same tree, byte for byte: the only randomness is `random.Random(N)`.
"""

from __future__ import annotations

import math
import posixpath
import random
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from generator.layout import FILES, KIND_BY_KEY, KINDS  # noqa: E402
from generator.model import SHEET_PHRASES  # noqa: E402
from generator.page_links import resolve, targets  # noqa: E402

REAL_CONTENT = HERE.parent / "content"
TYPES = KIND_BY_KEY["customer_types"]
TACTICS = KIND_BY_KEY["tactics"]
BANKS = KIND_BY_KEY["phrase_banks"]
GUIDES = KIND_BY_KEY["guides"]
PHRASES = "phrases"
"""The key `counts` gives the number of phrases under (they live inside the banks)."""
# libyaml when there is one: a thousand types are some 5,000 files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MIXED = 0.25
"""The share of an entry's list items taken from other real entries of its kind."""


def read_real(content: Path = REAL_CONTENT) -> dict[str, list[tuple[str, dict]]]:
    """Kind key -> [(id, data)] of the real content, in file-name order, except
    that the safety guide comes first: the fewest guides N types get still hold
    it, so every type that can turn dangerous has a safety guide to link."""
    real = {
        kind.key: [(path.stem, yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER))
                   for path in sorted((content / kind.folder).glob("*.yaml"))]
        for kind in KINDS
    }
    real[GUIDES.key].sort(key=lambda item: not item[1].get("safety", False))
    return real


def counts(n: int, real: dict[str, list[tuple[str, dict]]] | None = None) -> dict[str, int]:
    """How many entries of each kind (and phrases) N customer types come with."""
    if n < 1:
        raise ValueError(f"at least one customer type, not {n}")
    real = real or read_real()
    types = len(real[TYPES.key])
    wanted = {kind.key: len(real[kind.key]) for kind in KINDS}
    wanted[PHRASES] = sum(len(data[PHRASES]) for _, data in real[BANKS.key])
    return {key: n if key == TYPES.key else max(1, math.floor(n * count / types + 0.5))
            for key, count in wanted.items()}


def generate(n: int, real: dict[str, list[tuple[str, dict]]] | None = None) -> dict[str, str]:
    """The synthetic tree for N customer types: path relative to content/ -> file text."""
    real = real or read_real()
    rng = random.Random(n)
    how_many = counts(n, real)

    phrase_models = [phrase for _, bank in real[BANKS.key] for phrase in bank[PHRASES]]
    phrases = []
    for k in range(how_many[PHRASES]):
        model = phrase_models[k % len(phrase_models)]
        phrases.append({**model, "id": _new_id(model["id"], k, len(phrase_models))})
    _unique([phrase["id"] for phrase in phrases], PHRASES)

    entries: dict[str, list[tuple[str, dict]]] = {}
    for kind in KINDS:
        models = real[kind.key]
        made = []
        for j in range(how_many[kind.key]):
            model_id, model = models[j % len(models)]
            made.append((_new_id(model_id, j, len(models)),
                         _varied(model, j, [data for _, data in models], rng)))
        _unique([entry_id for entry_id, _ in made], kind.folder)
        entries[kind.key] = made

    banks = entries[BANKS.key]
    for b, (_, bank) in enumerate(banks):
        bank[PHRASES] = phrases[b * len(phrases) // len(banks):(b + 1) * len(phrases) // len(banks)]

    # A type links the first copy of each guide its model lists, where that was made.
    real_guides = [guide_id for guide_id, _ in real[GUIDES.key]]
    first_copy = {guide_id: _new_id(guide_id, j, len(real_guides))
                  for j, guide_id in enumerate(real_guides[:how_many[GUIDES.key]])}
    tactic_ids = [entry_id for entry_id, _ in entries[TACTICS.key]]
    phrase_ids = [phrase["id"] for phrase in phrases]
    for i, (_, customer_type) in enumerate(entries[TYPES.key]):
        customer_type["tactics"] = _refs(i, n, tactic_ids, len(customer_type["tactics"]), rng)
        customer_type["phrases"] = _refs(i, n, phrase_ids, len(customer_type["phrases"]), rng)
        if "guides" in customer_type:
            customer_type["guides"] = [first_copy[g] for g in customer_type["guides"] if g in first_copy]
        if "cheat_sheet" in customer_type:
            chosen = set(rng.sample(customer_type["phrases"],
                                    min(SHEET_PHRASES, len(customer_type["phrases"]))))
            customer_type["cheat_sheet"] = [p for p in customer_type["phrases"] if p in chosen]

    # A link to a real entry's page leads to its first copy, or (none made) is plain text.
    copies = {kind.page(entry_id): kind.page(_new_id(entry_id, j, len(real[kind.key])))
              for kind in KINDS for j, (entry_id, _) in enumerate(real[kind.key][:how_many[kind.key]])}
    real_pages = {kind.page(entry_id) for kind in KINDS for entry_id, _ in real[kind.key]}
    for kind in KINDS:
        for entry_id, data in entries[kind.key]:
            _relink(data, kind.page(entry_id), copies, real_pages)

    tree = {single.name: (REAL_CONTENT / single.name).read_text(encoding="utf-8")
            # A machine-written file (the translations store) describes the real entries only.
            for single in FILES if (REAL_CONTENT / single.name).is_file() and not single.written_by}
    for kind in KINDS:
        for entry_id, data in entries[kind.key]:
            tree[kind.source(entry_id)] = _dump(data)
    return tree


def write_tree(n: int, out: Path) -> dict[str, int]:
    """Write the synthetic tree for N customer types into `out` (empty or new); returns `counts`."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out}: not an empty folder; synthetic content goes into a new one")
    real = read_real()
    for rel, body in generate(n, real).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8", newline="\n")
    return counts(n, real)


def _new_id(model_id: str, j: int, models: int) -> str:
    """The j-th copy's id: the model's id and which copy of it this is (`stay-calm-3`)."""
    return f"{model_id}-{j // models + 1}"


def _unique(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"synthetic {what}: ids made twice: {', '.join(twice[:5])}")


def _varied(model: dict, j: int, others: list[dict], rng: random.Random) -> dict:
    """A copy of `model` titled with counter j + 1, its lists partly mixed and shuffled."""
    data = dict(model)
    data["title"] = {code: f"{title} {j + 1}" for code, title in model["title"].items()}
    for field, value in model.items():
        if field in ("tactics", "phrases", "cheat_sheet", "guides", "sources") or not _texts(value):
            continue  # references are set by `generate`; citations stay the model's
        items = list(value)
        for index in range(len(items)):
            donors = [other[field] for other in others if _texts(other.get(field))]
            if rng.random() < MIXED and donors:
                items[index] = rng.choice(rng.choice(donors))
        rng.shuffle(items)
        data[field] = items
    return data


def _relink(data, origin: str, copies: dict[str, str], real_pages: set[str]) -> None:
    """Point every link in `data`'s strings at the copy of the page it names (in place)."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in list(items):
        if isinstance(value, str):
            data[key] = _relinked(value, origin, copies, real_pages)
        else:
            _relink(value, origin, copies, real_pages)


_LINK_WHOLE = re.compile(r"\[([^\]\n]*)\]\(([^()\s]*)\)")


def _relinked(value: str, origin: str, copies: dict[str, str], real_pages: set[str]) -> str:
    if not any(targets(value)):
        return value

    def one(match: re.Match) -> str:
        label, target = match.groups()
        found = resolve(target, origin)
        if found is None or found[0] not in real_pages:
            return match.group()  # not an entry's page: the same in the copy
        page, anchor = found
        if page not in copies:
            return label
        start = posixpath.dirname(origin) or "."
        return f"[{label}]({posixpath.relpath(copies[page], start)}{anchor})"

    return _LINK_WHOLE.sub(one, value)


def _texts(value) -> bool:
    """Whether `value` is a list of texts or sections (dicts): what `_varied` mixes."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _refs(i: int, n: int, ids: list[str], wanted: int, rng: random.Random) -> list[str]:
    """Type i's references: every n-th id from i (its own), then random others up to `wanted`."""
    own = ids[i::n]
    others = [ref for index, ref in enumerate(ids) if index % n != i]
    return own + rng.sample(others, max(0, min(wanted - len(own), len(others))))


class _Dumper(_DUMPER):
    """Multi-line texts as `|-` blocks, as authors write them; never an alias
    (an item copied twice is written out twice, as an author would)."""

    def ignore_aliases(self, data) -> bool:
        return True


_Dumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit() or int(argv[0]) < 1:
        print("usage: python tests/synthetic.py N OUT_DIR  (N customer types, N >= 1)",
              file=sys.stderr)
        return 2
    n, out = int(argv[0]), Path(argv[1])
    try:
        made = write_tree(n, out)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{out}: " + ", ".join(
        f"{count} {KIND_BY_KEY[key].plural if key in KIND_BY_KEY else key}"
        for key, count in made.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
