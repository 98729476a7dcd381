"""A rule-based fact extractor on spaCy: pattern files in, canonical mentions out.

Each pattern file under `data/patterns/` names an entity and, per canonical value,
phrases (spaCy `PhraseMatcher` on lower-cased tokens) and token patterns (spaCy
`Matcher`). A ConText-style pass then reads the words before each mention to mark
it negated ("no numbness"), about someone else ("my dad had cancer") or
hypothetical ("what if it starts tingling?"). Durations and ratings come from
`knotcare.nlp.quantities`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from knotcare.config import DATA_DIR
from knotcare.nlp import quantities
from knotcare.nlp.phrasing import asks_anything

AFFIRMED = "affirmed"
NEGATED = "negated"
OTHER_PERSON = "other_person"
HYPOTHETICAL = "hypothetical"

#: Entities whose mentions only count for the person when affirmed about them.
PERSONAL_ENTITIES = frozenset({"red_flag", "condition"})
#: How far back (in tokens) context cues are looked for: a clause rarely runs longer, and the
#: bound keeps a 10 KB message fast.
MAX_LOOKBACK = 40
#: Entities whose value is the person's own words (normalised later into slots).
VERBATIM_ENTITIES = ("duration", "severity")


@dataclass(frozen=True)
class Mention:
    """One thing the person said: an entity, its canonical value and where it stands."""

    entity: str
    value: str
    start: int
    end: int
    text: str
    status: str = AFFIRMED

    @property
    def affirmed(self) -> bool:
        """True when the person states it about themselves, now."""
        return self.status == AFFIRMED


@dataclass(frozen=True)
class _Context:
    negation_window: int
    negation: Tuple[Tuple[str, ...], ...]
    other_person: Tuple[Tuple[str, ...], ...]
    self_words: frozenset
    hypothetical: Tuple[Tuple[str, ...], ...]
    if_followed_by: frozenset
    terminators: Tuple[Tuple[str, ...], ...]
    and_new_subject: frozenset
    negation_after: Tuple[Tuple[str, ...], ...] = ()
    negation_after_separators: frozenset = frozenset()
    other_person_after: Tuple[Tuple[str, ...], ...] = ()
    proxy: Tuple[Tuple[str, ...], ...] = ()
    proxy_words: Dict[str, str] = field(default_factory=dict)


def _load_yaml(path: Path) -> Dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


class FactExtractor:
    """Finds regions, muscles, pain qualities, durations, ratings, red flags and conditions."""

    def __init__(self, pattern_dir: Union[str, Path, None] = None, nlp: Optional[Language] = None) -> None:
        self.pattern_dir = Path(pattern_dir) if pattern_dir else DATA_DIR / "patterns"
        self.nlp = nlp or spacy.blank("en")
        self._matcher = Matcher(self.nlp.vocab)
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._spans: Dict[str, Tuple[int, int]] = {}
        self._not_followed_by: Dict[str, frozenset] = {}
        #: value key -> values whose mentions in the same message it cancels (see red_flags.yml `overrides`)
        self._overrides: Dict[str, frozenset] = {}
        #: entities read with negation only, and only in a statement (`context: negation`): a question's topic is
        #: asked about in "what if I'm pregnant?", "asking for my wife" or "why don't I feel it where the knot
        #: is?", but not in "no chest pain or breathing problems, just a knot"
        self._negation_only: set = set()
        for path in sorted(self.pattern_dir.glob("*.yml")):
            spec = _load_yaml(path)
            if path.stem == "context":
                self._context = self._read_context(spec)
            elif "entity" in spec:
                self._add_patterns(spec)

    def _read_context(self, spec: Dict[str, Any]) -> _Context:
        def phrases(key: str) -> Tuple[Tuple[str, ...], ...]:
            items = [tuple(t.text.lower() for t in self.nlp.make_doc(p)) for p in spec.get(key, [])]
            return tuple(sorted(set(items), key=len, reverse=True))

        return _Context(
            negation_window=int(spec.get("negation_window", 5)),
            negation=phrases("negation"),
            other_person=phrases("other_person"),
            self_words=frozenset(spec.get("self", [])),
            hypothetical=phrases("hypothetical"),
            if_followed_by=frozenset(spec.get("hypothetical_if_followed_by", [])),
            terminators=phrases("terminators"),
            and_new_subject=frozenset(spec.get("and_new_subject", [])),
            negation_after=phrases("negation_after"),
            negation_after_separators=frozenset(spec.get("negation_after_separators", [])),
            other_person_after=phrases("other_person_after"),
            proxy=phrases("proxy"),
            proxy_words=dict(spec.get("proxy_words") or {}),
        )

    def _add_patterns(self, spec: Dict[str, Any]) -> None:
        entity = spec["entity"]
        if spec.get("context") == "negation":
            self._negation_only.add(entity)
        for value, rules in (spec.get("values") or {}).items():
            key = f"{entity}|{value}"
            texts = [str(p).lower() for p in rules.get("phrases") or []]
            # `possessives: [his, her, ...]`: each phrase with "my" also with those words ("middle of his back").
            texts += [" ".join(w if w != "my" else other for w in t.split()) for t in texts if "my" in t.split()
                      for other in spec.get("possessives") or []]
            phrases = [self.nlp.make_doc(t) for t in texts]
            if phrases:
                self._phrases.add(key, phrases)
            for index, pattern in enumerate(rules.get("patterns") or []):
                # A pattern is a token list, or {tokens, span} to keep only part
                # of the match (the context word before "back" is not the region),
                # or {both: [firsts, seconds], gap: token}: one of each, in either order.
                if isinstance(pattern, dict) and "both" in pattern:
                    firsts, seconds = pattern["both"]
                    self._matcher.add(key, [a + [pattern["gap"]] + b for a in firsts for b in seconds]
                                      + [b + [pattern["gap"]] + a for a in firsts for b in seconds])
                elif isinstance(pattern, dict):
                    sub_key = f"{key}|{index}"
                    self._matcher.add(sub_key, [pattern["tokens"]])
                    self._spans[sub_key] = tuple(pattern["span"])
                else:
                    self._matcher.add(key, [pattern])
            if rules.get("not_followed_by"):
                self._not_followed_by[key] = frozenset(rules["not_followed_by"])
            if rules.get("overrides"):
                self._overrides[key] = frozenset(f"{entity}|{v}" for v in rules["overrides"])

    # -- reading -------------------------------------------------------------

    def make_doc(self, text: str) -> Doc:
        """Tokenise lower-cased text (same length as the original, so offsets hold)."""
        return self.nlp.make_doc(text.lower())

    def extract(self, text: str, doc: Optional[Doc] = None) -> List[Mention]:
        """Return every mention in `text`, each with its context status."""
        if not text or not text.strip():
            return []
        doc = doc if doc is not None and len(doc.text) == len(text) else self.make_doc(text)
        # Written for someone else ("writing for my dad, he passed out"): that person is the one with the
        # pain, so their pronouns read as the writer's. Same tokens, so spans map back onto `doc`.
        seen_as = self._as_proxy(doc)
        by_entity: Dict[str, List[Tuple[Span, str]]] = {}
        for match_id, start, end in list(self._matcher(seen_as)) + list(self._phrases(seen_as)):
            key = self.nlp.vocab.strings[match_id]
            if key in self._spans:
                offset_start, offset_end = self._spans[key]
                start, end = start + offset_start, start + offset_end
                key = key.rsplit("|", 1)[0]
            blocked = self._not_followed_by.get(key)
            if blocked and end < len(doc) and doc[end].lower_ in blocked:
                continue
            entity, value = key.split("|", 1)
            by_entity.setdefault(entity, []).append((Span(doc, start, end, label=value), value))

        words = [token.lower_ for token in seen_as]
        mentions: List[Mention] = []
        for entity, found in by_entity.items():
            # Longest match wins inside one entity ("shoulder blade" over "shoulder").
            kept = {(s.start, s.end) for s in filter_spans([span for span, _ in found])}
            seen = set()
            for span, value in found:
                if (span.start, span.end) not in kept or (span.start, span.end) in seen:
                    continue
                seen.add((span.start, span.end))
                status = self._status(words, span.start, entity, span.end)
                # Whether the message asks anything matters only for a denied mention (rare): checked then.
                if entity in self._negation_only and (status != NEGATED or asks_anything(text)):
                    status = AFFIRMED
                mentions.append(
                    Mention(entity, value, span.start_char, span.end_char, text[span.start_char:span.end_char], status)
                )
        # An affirmed fact can rule another out ("wakes me at 4am but loosens up once I get moving" is not
        # night pain that rest and moving don't ease).
        cancelled = set().union(*(self._overrides.get(f"{m.entity}|{m.value}", ()) for m in mentions if m.affirmed))
        mentions = [m for m in mentions if f"{m.entity}|{m.value}" not in cancelled]
        ages = list(quantities.find_ages(text))
        mentions += [Mention("age", text[s:e], s, e, text[s:e], AFFIRMED) for s, e in ages]
        for entity, finder in (("duration", quantities.find_durations), ("severity", quantities.find_severities)):
            for start, end in finder(text):
                if any(s < end and start < e for s, e in ages):
                    continue  # "67 years old" is an age, not a duration
                words = text[start:end]
                mentions.append(Mention(entity, words, start, end, words, AFFIRMED))
        return sorted(mentions, key=lambda m: (m.start, -m.end))

    def affirmed(self, text: str, doc: Optional[Doc] = None) -> List[Mention]:
        """Only the mentions that count: affirmed, about the person, not hypothetical."""
        return [m for m in self.extract(text, doc) if m.affirmed]

    # -- context -------------------------------------------------------------

    def _as_proxy(self, doc: Doc) -> Doc:
        """`doc` itself, or, when the message says it is written for someone else, the same tokens with
        that person's pronouns as the writer's ("he passed out" -> "i passed out")."""
        ctx = getattr(self, "_context", None)
        if ctx is None or not ctx.proxy:
            return doc
        words = [token.lower_ for token in doc]
        # A short slice at each position (not the whole prefix): this runs on every message NLU reads.
        if not any(tuple(words[i:i + len(cue)]) == cue for i in range(len(words)) for cue in ctx.proxy):
            return doc
        return Doc(doc.vocab, words=[ctx.proxy_words.get(w, w) for w in words],
                   spaces=[bool(token.whitespace_) for token in doc])


    @staticmethod
    def _ends_with(words: Sequence[str], cue: Tuple[str, ...]) -> bool:
        return len(words) >= len(cue) and tuple(words[-len(cue):]) == cue

    def _clause_before(self, words: Sequence[str], start: int) -> List[str]:
        """The lower-cased words between the clause start and the mention (at most MAX_LOOKBACK)."""
        ctx = self._context
        clause: List[str] = []
        for index in range(start - 1, max(-1, start - 1 - MAX_LOOKBACK), -1):
            word = words[index]
            if any(tuple(words[index - len(cue) + 1: index + 1]) == cue for cue in ctx.terminators
                   if len(cue) <= index + 1):
                break
            if word in ("and", ",") and clause and clause[0] in ctx.and_new_subject:
                break
            clause.insert(0, word)
        return clause

    def _after(self, words: Sequence[str], end: int) -> Optional[str]:
        """A cue straight after the mention: NEGATED for "fever? no", OTHER_PERSON for "... runs in my family"."""
        ctx = self._context
        rest = list(words[end:end + 8])
        if any(tuple(rest[:len(cue)]) == cue for cue in ctx.other_person_after):
            return OTHER_PERSON
        index = 0
        while index < len(rest) and rest[index] in ctx.negation_after_separators:
            index += 1
        if index == 0:
            return None
        for cue in ctx.negation_after:
            after = index + len(cue)
            if tuple(rest[index:after]) == cue and (after >= len(rest) or rest[after] in ctx.negation_after_separators
                                                     or rest[after] in (".", "!", ";", "and", "but", "i", "thanks")):
                return NEGATED
        return None

    def _status(self, words: Sequence[str], start: int, entity: str, end: Optional[int] = None) -> str:
        ctx = getattr(self, "_context", None)
        if ctx is None:
            return AFFIRMED
        after = self._after(words, end) if end is not None else None
        if after == OTHER_PERSON and entity in PERSONAL_ENTITIES:
            return OTHER_PERSON
        if after == NEGATED:
            return NEGATED
        clause = self._clause_before(words, start)
        # Hypothetical: a cue anywhere earlier in the clause.
        for position in range(len(clause)):
            head = clause[: position + 1]
            if any(self._ends_with(head, cue) for cue in ctx.hypothetical):
                return HYPOTHETICAL
            if clause[position] == "if" and any(w in ctx.if_followed_by for w in clause[position + 1: position + 4]):
                return HYPOTHETICAL
        # Someone else: their cue, with no "I/me/my" between it and the mention.
        if entity in PERSONAL_ENTITIES:
            for position in range(len(clause) - 1, -1, -1):
                word = clause[position]
                if word in ctx.self_words:
                    break
                if any(self._ends_with(clause[: position + 1], cue) for cue in ctx.other_person):
                    return OTHER_PERSON
        # Negation: a cue within the window just before the mention.
        window = clause[-ctx.negation_window:] if ctx.negation_window else []
        for position in range(len(window)):
            if any(self._ends_with(window[: position + 1], cue) for cue in ctx.negation):
                return NEGATED
        return AFFIRMED


@functools.lru_cache(maxsize=4)
def default_extractor(pattern_dir: Optional[str] = None) -> FactExtractor:
    """One shared extractor per pattern folder (building the matchers takes a moment)."""
    return FactExtractor(pattern_dir)

