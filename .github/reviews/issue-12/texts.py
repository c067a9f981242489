"""List every text of one language: `python /work/review/texts.py LANG [FILE-SUBSTRING]`.

Prints one line per text: file<TAB>place<TAB>text (and the English text after ' || EN: ').
Also: `--check ROUND LANG [FILE-SUBSTRING ...]` reports which of those texts have no grade
in /work/review/ROUND-LANG*.jsonl, and the grade distribution."""
import json, sys
from pathlib import Path
sys.path.insert(0, "/work/main")
from generator.coverage import text_documents, _texts
from generator.load import load_tree
from generator.problems import Problems
from generator.validate import format_loc

ROOT = Path("/work/main/content")

def all_texts(lang):
    tree = load_tree(ROOT, Problems())
    for doc in text_documents(tree):
        rel = str(doc.path.relative_to(ROOT))
        if rel == "translations.yaml":
            continue
        for loc, text in _texts(doc.data, (), {"tl", "az", "en"}, "en"):
            yield rel, format_loc(loc), text.get(lang, ""), text.get("en", "")

if sys.argv[1] == "--check":
    rnd, lang, subs = sys.argv[2], sys.argv[3], sys.argv[4:]
    wanted = {(f, l) for f, l, _, _ in all_texts(lang) if not subs or any(x in f for x in subs)}
    grades = {}
    for path in sorted(Path("/work/review").glob(f"{rnd}-{lang}*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                grades.setdefault((row["file"], row["loc"]), row["grade"])  # the first grade is as found
    missing = sorted(wanted - set(grades))
    dist = {}
    for key in wanted & set(grades):
        dist[grades[key]] = dist.get(grades[key], 0) + 1
    print(f"{len(wanted)} texts, {len(wanted & set(grades))} graded; distribution {dict(sorted(dist.items(), reverse=True))}")
    for f, l in missing[:50]:
        print("ungraded:", f, l)
    if len(missing) > 50:
        print(f"... and {len(missing) - 50} more")
else:
    lang = sys.argv[1]
    sub = sys.argv[2] if len(sys.argv) > 2 else ""
    for f, l, t, en in all_texts(lang):
        if sub in f:
            t, en = (str(x).replace("\n", " ⏎ ") for x in (t, en))
            print(f"{f}\t{l}\t{t}" + ("" if lang == "en" else f"  || EN: {en}"))
