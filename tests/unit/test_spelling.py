"""The speller: misspelt words read as meant, words spelt right never changed, spans mapped back to the typing."""

from __future__ import annotations

import pytest
import yaml

from knotcare.config import DATA_DIR
from knotcare.nlp.extractor import default_extractor
from knotcare.nlp.spelling import Speller, english_words, pattern_words

PATTERNS = DATA_DIR / "patterns"


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller.for_patterns(PATTERNS)


@pytest.mark.parametrize(("typed", "meant"), [
    ("bothe", "both"), ("husbend", "husband"), ("hedache", "headache"), ("fevver", "fever"),
    ("tempreture", "temperature"), ("numbnes", "numbness"), ("wores", "worse"), ("roler", "roller"),
    ("pee-ing", "peeing"),
])
def test_a_slip_is_read_as_the_word_meant(speller: Speller, typed: str, meant: str) -> None:
    assert speller.word(typed) == meant


@pytest.mark.parametrize("word", ["didn't", "aren't", "she's", "sun", "bacon", "lumber", "feverfew", "numbed",
                                  "tingled", "amlodipine", "ngl"])
def test_contractions_english_words_and_words_far_from_any_stay(speller: Speller, word: str) -> None:
    assert speller.word(word) == word


def test_listed_misspellings_are_never_english_and_mean_a_known_word() -> None:
    english, vocabulary = english_words(), pattern_words(PATTERNS)
    listed = yaml.safe_load((PATTERNS / "spellings.yml").read_text(encoding="utf-8"))["meant"]
    assert not [typo for typo in listed if typo in english]
    assert not [meant for meant in listed.values() if meant not in english and meant not in vocabulary]


def test_spans_of_the_read_text_map_back_onto_the_typing(speller: Speller) -> None:
    typed = "MY NEK IS SO STIF AND A TEMPRETURE OF 39, hedache too"
    read = speller.respell(typed)
    assert "temperature" in read.text and "headache" in read.text
    start = read.text.index("temperature")
    assert typed[slice(*read.said(start, start + len("temperature")))] == "TEMPRETURE"
    after = read.text.index("39")
    assert typed[slice(*read.said(after, after + 2))] == "39"


def test_entities_point_at_the_words_as_typed() -> None:
    typed = "my husbend has numbnes in bothe legs"
    mentions = default_extractor().affirmed(typed)
    flag = next(m for m in mentions if m.value == "bilateral_leg_symptoms")
    assert typed[flag.start:flag.end] == flag.text == "numbnes in bothe legs"
    assert any(m.entity == "subject" and m.value == "other" for m in mentions)
