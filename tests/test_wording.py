"""generator/wording.py: terms, avoided words and the phrase rules, on tiny trees."""

from pathlib import Path

import pytest

from conftest import run_cli, text, write
from generator.content import check_content, read_content
from generator.problems import ContentError

GLOSSARY = f"""\
terms:
  - id: refund
    term:{text("refund", "pulun qaytarılması", "refund", 6)}
    definition:{text("Ibinabalik na pera.", "Geri verilən pul.", "Money given back.", 6)}
    forms:
      en: [refund]
      tl: [refund, ibalik ang bayad]
      az: [pulun qaytarılması, pulu qaytar]
    rejected:
      tl: [pagsasauli ng salapi]
      az: [geri ödəmə]
"""


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check_content(content)
    return [p.format() for p in caught.value.problems]


def set_tactic_why(content: Path, tl: str, az: str, en: str) -> Path:
    tactic = content / "tactics/stay-calm.yaml"
    body = tactic.read_text(encoding="utf-8")
    start = body.index("why:")
    end = body.index("steps:")
    tactic.write_text(body[:start] + f"why:{text(tl, az, en, 2)}\n" + body[end:], encoding="utf-8")
    return tactic


def line_of(path: Path, snippet: str) -> int:
    body = path.read_text(encoding="utf-8")
    assert snippet in body, f"test setup: {snippet!r} not in {path.name}"
    return body[: body.index(snippet)].count("\n") + 1


@pytest.fixture
def with_terms(content: Path) -> Path:
    write(content / "glossary.yaml", GLOSSARY)
    return content


def test_the_tiny_tree_with_a_glossary_passes(with_terms: Path):
    assert list(check_content(with_terms).customer_types) == ["angry"]


@pytest.mark.parametrize("lang, tl, az", [
    ("tl", "Sabihin kung kailan darating.", "Pulun qaytarılması barədə danışın."),
    ("az", "Sabihin kung kailan darating ang refund.", "Pulu geri verəcəyik."),
])
def test_a_translation_that_drops_the_term_is_named(with_terms: Path, lang: str, tl: str, az: str):
    tactic = set_tactic_why(with_terms, tl, az, "Say when the refund comes.")
    line = line_of(tactic, f"  {lang}: {tl if lang == 'tl' else az}")
    [message] = problems_of(with_terms)
    assert message.endswith(
        f"tactics/stay-calm.yaml:{line}:3: error: why.{lang}: the en text uses the term "
        f"'refund' (glossary.yaml), so the {lang} text says it too, as one of "
        + {"tl": "'refund', 'ibalik ang bayad'", "az": "'pulun qaytarılması', 'pulu qaytar'"}[lang]
        + "; one concept has one name on every page"), message


def test_forms_match_inflections_case_and_letters(with_terms: Path):
    # "PULU QAYTARACAĞIQ" starts with the form "pulu qaytar", in capitals.
    set_tactic_why(with_terms, "IBALIK ANG BAYAD agad.", "PULU QAYTARACAĞIQ.", "Refunds come fast.")
    check_content(with_terms)


def test_a_form_inside_another_word_does_not_count(with_terms: Path):
    # "prefund" is not the word "refund": no rule applies, so nothing is required.
    set_tactic_why(with_terms, "Walang kinalaman.", "Heç bir əlaqəsi yoxdur.", "Prefunded work.")
    check_content(with_terms)


@pytest.mark.parametrize("lang, word", [("tl", "pagsasauli ng salapi"), ("az", "geri ödəmə")])
def test_a_rejected_variant_is_named_with_the_chosen_one(with_terms: Path, lang: str, word: str):
    texts = {"tl": "Walang refund.", "az": "Pulun qaytarılması yoxdur.", "en": "No refund."}
    texts[lang] = f"{texts[lang]} {word.capitalize()}."
    tactic = set_tactic_why(with_terms, texts["tl"], texts["az"], texts["en"])
    [message] = problems_of(with_terms)
    chosen = {"tl": "'refund', 'ibalik ang bayad'", "az": "'pulun qaytarılması', 'pulu qaytar'"}[lang]
    assert message.endswith(
        f"stay-calm.yaml:{line_of(tactic, f'  {lang}: {texts[lang]}')}:3: error: why.{lang}: '{word}' is a "
        f"rejected {lang} variant of the term 'refund' (glossary.yaml): write {chosen}"), message


def test_every_text_of_every_kind_is_checked(with_terms: Path):
    # One rejected variant in each kind of file, in a field of each shape.
    for path, old in (("customer-types/angry.yaml", "Makinig."), ("phrases/greetings.yaml", "Sa simula."),
                      ("guides/basics.yaml", "Teksto."), ("sources.yaml", "Unang artikulo")):
        file = with_terms / path
        file.write_text(file.read_text("utf-8").replace(old, old + " Pagsasauli ng salapi", 1), "utf-8")
    messages = problems_of(with_terms)
    assert sorted(m.split("/content/")[1].split(":")[0] for m in messages) == [
        "customer-types/angry.yaml", "guides/basics.yaml", "phrases/greetings.yaml", "sources.yaml"]


def test_forms_for_an_unknown_language_are_named(with_terms: Path):
    glossary = with_terms / "glossary.yaml"
    glossary.write_text(glossary.read_text("utf-8").replace("      en: [refund]", "      fr: [remboursement]\n      en: [refund]"), "utf-8")
    [message] = problems_of(with_terms)
    assert message.endswith(f"glossary.yaml:{line_of(glossary, 'fr: [')}:7: error: terms[0].forms.fr: "
                            "no language 'fr' in languages.yaml"), message


@pytest.mark.parametrize("forms", ["forms: {tl: []}", "forms: {tl: [' po']}", "forms: {TL: [x]}", "forms: [x]"])
def test_malformed_forms_are_schema_errors(with_terms: Path, forms: str):
    glossary = with_terms / "glossary.yaml"
    body = glossary.read_text("utf-8")
    start, end = body.index("    forms:"), body.index("    rejected:")
    glossary.write_text(body[:start] + f"    {forms}\n" + body[end:], "utf-8")
    with pytest.raises(ContentError) as caught:
        read_content(with_terms)
    assert all("glossary.yaml:" in p.format() and "forms" in p.format() for p in caught.value.problems)


def add_language_rules(content: Path, code: str, rules: str) -> None:
    languages = content / "languages.yaml"
    body = languages.read_text("utf-8")
    marker = f"  - code: {code}\n"
    start = body.index(marker)
    labels = body.index("    labels:", start)
    languages.write_text(body[:labels] + rules + body[labels:], "utf-8")


def test_avoided_words_are_named_with_their_advice(content: Path):
    add_language_rules(content, "az", '    avoid:\n      önəmli: "a Turkish word; write vacib"\n')
    set_tactic_why(content, "Mahalaga ito.", "Bu, ÖNƏMLİDİR.", "It matters.")
    [message] = problems_of(content)
    assert message.endswith("error: why.az: 'önəmli' is on the az list of words to avoid "
                            "(languages.yaml): a Turkish word; write vacib"), message


def set_phrase(content: Path, tl: str, az: str, en: str, said_to: str | None = None) -> Path:
    bank = content / "phrases/greetings.yaml"
    body = bank.read_text("utf-8")
    start, end = body.index("    text:"), body.index("    when:")
    extra = f"    said_to: {said_to}\n" if said_to else ""
    bank.write_text(body[:start] + f"    text:{text(tl, az, en, 6)}\n" + body[end:] + extra, "utf-8")
    return bank


@pytest.mark.parametrize("lang", ["tl", "az", "en"])
def test_a_phrase_of_26_words_is_too_long_in_every_language(content: Path, lang: str):
    words = {"tl": "Magandang araw po.", "az": "Xoş gördük.", "en": "Good day."}
    words[lang] = " ".join(["word"] * 26)
    bank = set_phrase(content, words["tl"], words["az"], words["en"])
    [message] = problems_of(content)
    assert message.endswith(
        f"greetings.yaml:{line_of(bank, f'      {lang}: ')}:7: error: phrases[0].text.{lang}: 26 words, "
        "more than the 25 a phrase may have: a phrase is said aloud mid-conversation, so keep it to one breath")


def test_25_words_is_allowed_and_markup_is_not_a_word(content: Path):
    # A hyphenated word is one word said aloud; a dash alone is none.
    set_phrase(content, "Magandang araw po " + " ".join(["ika-31"] * 22), "Xoş **gördük** — *bəli*.",
               " ".join(["word"] * 24) + " — e-mail.")
    check_content(content)


def test_max_words_is_per_language(content: Path):
    add_language_rules(content, "en", "    phrases:\n      max_words: 5\n")
    set_phrase(content, "Isa dalawa tatlo apat lima anim po.", "Bir iki üç dörd beş altı.", "One two three four five six.")
    [message] = problems_of(content)
    assert "phrases[0].text.en: 6 words, more than the 5" in message


def test_tagalog_phrases_to_a_customer_need_po_or_opo(content: Path):
    add_language_rules(content, "tl", "    phrases:\n      polite_words: [po, opo]\n")
    set_phrase(content, "Sandali lang.", "Bir dəqiqə.", "One moment.")
    [message] = problems_of(content)
    assert message.endswith("phrases[0].text.tl: said to the customer without any of 'po', 'opo' "
                            "(languages.yaml phrases.polite_words); add one, or mark a line for "
                            "a colleague with said_to: colleague")
    # "Opo" in capitals counts; "poste" (a post) is not "po".
    set_phrase(content, "Opo, sandali lang.", "Bir dəqiqə.", "One moment.")
    check_content(content)
    set_phrase(content, "Nasa poste.", "Bir dəqiqə.", "One moment.")
    assert len(problems_of(content)) == 1
    # A line to a colleague keeps the length rule only.
    set_phrase(content, "Tawagan mo ang security.", "Mühafizəni çağır.", "Call security.", said_to="colleague")
    check_content(content)


def test_familiar_azerbaijani_to_a_customer_is_named(content: Path):
    add_language_rules(content, "az", "    phrases:\n      informal_words: [sən, sənin]\n")
    set_phrase(content, "Sandali po.", "SƏNİN sualın nədir?", "What is your question?")
    [message] = problems_of(content)
    assert message.endswith("phrases[0].text.az: uses the familiar 'sənin' (languages.yaml "
                            "phrases.informal_words): a customer is addressed formally")
    set_phrase(content, "Sandali po.", "Sənin sualın nədir?", "Ask a colleague.", said_to="colleague")
    check_content(content)


def test_said_to_takes_only_customer_or_colleague(content: Path):
    set_phrase(content, "Sandali po.", "Bir dəqiqə.", "One moment.", said_to="manager")
    with pytest.raises(ContentError) as caught:
        read_content(content)
    [problem] = caught.value.problems
    assert "said_to" in problem.format() and "'customer'" in problem.format()


def test_check_command_reports_wording_and_exits_1(content: Path):
    add_language_rules(content, "tl", "    phrases:\n      polite_words: [po]\n")
    set_phrase(content, "Sandali lang.", "Bir dəqiqə.", "One moment.")
    result = run_cli("check", "--content", str(content), cwd=content.parent)
    assert result.returncode == 1
    assert "phrases[0].text.tl: said to the customer without any of 'po'" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_the_real_content_passes_the_wording_check():
    from conftest import ROOT
    kb = check_content(ROOT / "content")
    assert any(term.forms for term in kb.glossary), "the glossary lists no forms: nothing is enforced"
    assert any(term.rejected for term in kb.glossary)
    assert {lang.code: bool(lang.phrases.polite_words or lang.phrases.informal_words)
            for lang in kb.languages} == {"tl": True, "az": True, "en": False}
