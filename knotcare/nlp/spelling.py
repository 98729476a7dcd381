"""Misspelt words read as the word meant: "numbnes in bothe legs", "MY NEK IS SO STIF", "tempreture of 39".

People in pain type fast, on phones, in a second language. The reviewed patterns name their words once, spelt
right (with a few common slips listed beside them); this module lets a slip of a letter or two reach them.

The misspellings the pattern files list as words of their own are read as the word meant (`spellings.yml`). Any
other word is respelt only when it is neither an English word (symspellpy's frequency list of 82,765 words) nor a
word of the pattern files, and only into a word of the pattern files: a word spelt right is never changed, so a
respelling can make a sign readable but never turn an ordinary word into one. Short words are too easily another
word ("sun" for "son" is English, "ik" could be anything): only words of 4 letters or more are respelt, by one
edit, and words of 8 or more by two ("tempreture"). One edit is an inserted, dropped, changed or swapped letter.

The respelt text is what the extractor reads; `Respelling.said` maps a span of it back onto the message as typed,
so every entity still points at the writer's own words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import yaml
from symspellpy import SymSpell, Verbosity

WORD = re.compile(r"[A-Za-z]+")
#: a word, with its apostrophe ("didn't", never "didn" and "t"), or with an ending hyphenated on ("pee-ing"), as one
TYPED_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-(?:ing|ed)\b)?")
#: shortest word respelt at all, and the shortest respelt by two edits
SHORTEST = 4
TWO_EDITS_FROM = 8


@dataclass(frozen=True)
class Respelling:
    """A message as read: `text`, and each respelt word as (read start, read end, typed start, typed end)."""

    text: str
    changes: Tuple[Tuple[int, int, int, int], ...] = ()

    def said(self, start: int, end: int) -> Tuple[int, int]:
        """The span of the typed message that [start, end) of the read text stands for."""
        return self._typed(start, at_end=False), self._typed(end, at_end=True)

    def _typed(self, position: int, at_end: bool) -> int:
        shift = 0
        for read_start, read_end, typed_start, typed_end in self.changes:
            if position <= read_start:
                break
            if position >= read_end:
                shift = typed_end - read_end
                continue
            return typed_end if at_end else typed_start  # inside a respelt word: the whole word as typed
        return position + shift


def _strings(node: Any) -> Iterator[str]:
    """Every string in a loaded YAML tree, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _strings(item)


def pattern_words(pattern_dir: Path) -> Dict[str, int]:
    """The words of the reviewed pattern files, with how many times each is written there."""
    counts: Dict[str, int] = {}
    for path in sorted(pattern_dir.glob("*.yml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for word in WORD.findall(text.lower()):
                counts[word] = counts.get(word, 0) + 1
    return counts


@functools.lru_cache(maxsize=1)
def english_words() -> Dict[str, int]:
    """symspellpy's English frequency list (MIT licence): word -> count."""
    listing = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    counts: Dict[str, int] = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(" ")
        counts[word] = int(count)
    return counts


def _slip(typed: str, word: str) -> bool:
    """`typed` is `word` with two letters swapped or a double letter typed single (or a single one double): the
    commonest slips, so among words as near, these are the likelier ("wores" is "worse", not "works")."""
    if len(typed) == len(word) and sorted(typed) == sorted(word):
        return True
    return re.sub(r"(.)\1+", r"\1", typed) == re.sub(r"(.)\1+", r"\1", word)


class Speller:
    """Respells the words nobody would recognise into the pattern files' words they are one or two letters from."""

    def __init__(self, vocabulary: Dict[str, int], english: Dict[str, int], meant: Dict[str, str]) -> None:
        self._meant = dict(meant)
        self._vocabulary = frozenset(vocabulary)
        self._known = (set(vocabulary) - set(meant)) | set(english)
        self._index = SymSpell(max_dictionary_edit_distance=2, prefix_length=10)
        for word in set(vocabulary) - set(meant):
            # Among words as near, the commoner English word is the likelier one meant ("bothe" -> both).
            self._index.create_dictionary_entry(word, english.get(word, 0) + 1)
        # Bounded: a server reads whatever people type, and every unknown word would otherwise stay.
        self._remembered = functools.lru_cache(maxsize=20_000)(self._look_up)

    @classmethod
    def for_patterns(cls, pattern_dir: Path) -> "Speller":
        """A speller whose words are those of the pattern files in `pattern_dir`."""
        path = pattern_dir / "spellings.yml"
        listed = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
        meant = {str(k): str(v) for k, v in (listed.get("meant") or {}).items()}
        return cls(pattern_words(pattern_dir), english_words(), meant)

    def knows(self, word: str) -> bool:
        """`word` (lower case) is a word of the pattern files."""
        return word in self._vocabulary

    def word(self, typed: str) -> str:
        """`typed` (lower case) as meant: itself unless it is unknown and near a pattern word (remembered)."""
        return self._remembered(typed)

    def _look_up(self, typed: str) -> str:
        meant = self._meant.get(typed, typed)
        if "'" in typed or "’" in typed:
            meant = typed  # "didn't", "she's": contractions are left to the patterns
        elif "-" in typed:
            joined = typed.replace("-", "")
            meant = joined if joined in self._known else typed
        elif len(typed) >= SHORTEST and typed not in self._known and typed not in self._meant:
            edits = 2 if len(typed) >= TWO_EDITS_FROM else 1
            found = self._index.lookup(typed, Verbosity.CLOSEST, max_edit_distance=edits)
            if found:
                meant = min(found, key=lambda s: (not _slip(typed, s.term), -s.count)).term
        return meant

    def respell(self, text: str) -> Respelling:
        """`text` with every unknown word near a pattern word respelt (lower-cased where respelt)."""
        pieces, changes, at, shift = [], [], 0, 0
        for match in TYPED_WORD.finditer(text):
            meant = self.word(match.group().lower())
            if meant == match.group().lower():
                continue
            pieces.append(text[at:match.start()])
            read_start = match.start() + shift
            pieces.append(meant)
            shift += len(meant) - len(match.group())
            changes.append((read_start, read_start + len(meant), match.start(), match.end()))
            at = match.end()
        if not changes:
            return Respelling(text)
        pieces.append(text[at:])
        return Respelling("".join(pieces), tuple(changes))

