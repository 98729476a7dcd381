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
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Tuple, Union

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from knotcare.config import DATA_DIR
from knotcare.nlp import quantities
from knotcare.nlp.phrasing import asks_anything
from knotcare.nlp.spelling import Speller

AFFIRMED = "affirmed"
NEGATED = "negated"
OTHER_PERSON = "other_person"
HYPOTHETICAL = "hypothetical"
#: over and done with ("had a fever last week, gone now", "a car crash years ago, fully recovered")
PAST = "past"

#: Entities whose mentions only count for the person when affirmed about them.
PERSONAL_ENTITIES = frozenset({"red_flag", "condition"})
#: Someone else's red flags and conditions told in passing in a conversation about the writer's own pain, by entity
#: (`FactExtractor.extract`).
PASSING = {"red_flag": "passing_red_flag", "condition": "passing_condition"}
#: How far back (in tokens) context cues are looked for: a clause rarely runs longer, and the
#: bound keeps a 10 KB message fast.
MAX_LOOKBACK = 40
#: Entities that name a body part: a negation reaches them only when nothing is done with the part between
#: ("not my neck" denies the neck; "I can't turn my neck" does not).
BODY_ENTITIES = frozenset({"body_region", "muscle", "other_body_part"})
#: How far (tokens) a correction reaches: "My daughter's lower back? She's 22. Wait no, it's her neck".
CORRECTION_REACH = 12
#: An age as written beside a person: "30", "84m", "12yo", "7f" (quantities reads the number itself)
_AGE_WORD = re.compile(r"^(1[0-1][0-9]|[1-9][0-9]?)(m|f|yo|yrs?|y)?$")
#: The words that may stand between a part of the back and "back" ("low down on one side of my back")
_TO_THE_BACK = frozenset({"the", "my", "his", "her", "their", "your", "right", "left", "side", "sides", "of", "one",
                          "a", "bit", "part", "middle", "on", "in", "at", "down", "up", "hand"})
#: Plural nouns after "one of my" that are no people ("one of my knots has gone")
_NOT_PEOPLE = frozenset({"knots", "discs", "disks", "muscles", "points", "sessions", "days", "tablets", "pills",
                         "tools", "balls", "rollers", "vertebrae", "ribs", "joints", "nerves", "bones", "things",
                         "questions", "worries", "symptoms", "issues", "problems", "pains", "aches", "spots", "lumps",
                         "bumps"})
#: What one of the writer's people does or has in "one of my hurdlers has ..."
_THEY_DO = frozenset({"has", "'s", "is", "was", "had", "says", "said", "complains", "complained", "keeps", "kept",
                      "came", "got", "gets", "mentioned", "reported", "fell", "hurt", "injured", "twisted", "pulled",
                      "felt", "feels", "went", "needs", "wants", "asked", "tweaked", "collapsed", "woke", "started",
                      "can"})
#: What may follow "my son is 14" for the number to be an age (not "is 14 stone", "is 8/10")
_AGE_ENDS = frozenset({",", ".", "!", "?", ";", "and", "but", "years", "yrs", "year", "y", "yo", "now", "next", "in",
                       "this", "-", "(", "with", "who", "so", "he", "she", "his", "her", "today", "&"})
#: After a number, words that make it something other than an age ("my car 15 years old", "my run 5 km")
_NOT_AN_AGE_AFTER = frozenset({"/", "%", ":", "x", "out", "of", "times", "minutes", "mins", "min", "hours", "hrs",
                               "hour", "days", "day", "weeks", "week", "months", "month", "years", "year", "yrs", "km",
                               "miles", "kg", "lbs", "am", "pm", "-", "to", "or", "+"})
#: "one of my pupils", "two of our residents": some of the writer's people
_ONE_OF = frozenset({"one", "two", "three", "some"})
#: The writer speaking of themselves (not "my", which also names a relative: "my dad").
_FIRST_PERSON = frozenset({"i", "i'm", "im", "'m", "i've", "ive", "me", "myself", "i'd", "mine", "id"})
#: The question topic of a question about people in general that names none of the common ones (data/kb/answers.yml)
GENERAL_TOPIC = "ask_general"

#: The parts of the back the contract names (a generic `back` beside one of them is that one).
BACK_PARTS = frozenset({"upper_back", "mid_back", "lower_back"})
#: What may follow a cue that must end its clause ("now I do too." but not "what can I do to help").
_CLAUSE_ENDS = frozenset({".", ",", "!", "?", ";", ":", "\n", "and", "but", "as", "now", "though"})
#: The tokens that end a sentence, for the readings that look no further than a mention's own sentence.
_SENTENCE_ENDS = frozenset({".", "!", "?", ";"})
#: How many words before a red flag a cue that tells it as over ("years ago", "used to") may stand.
PAST_BEFORE_REACH = 6


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
    subject_nouns: frozenset = frozenset()
    subject_determiners: frozenset = frozenset()
    subject_pronouns: frozenset = frozenset()
    front_desk: Tuple[Tuple[str, ...], ...] = ()
    proxy_more: Tuple[Tuple[str, ...], ...] = ()
    self_before_frame: Tuple[Tuple[str, ...], ...] = ()
    negation_long: Tuple[Tuple[str, ...], ...] = ()
    clinical_markers: frozenset = frozenset()
    clinical_marker_patterns: Tuple[Any, ...] = ()
    negation_stopped_by: frozenset = frozenset()
    #: "no fever, chills or any weight loss": across one of these a negation reaches a list's later items
    negation_coordinators: frozenset = frozenset()
    negation_coordinated_window: int = 0
    #: "my back is totally fine": said straight after a body part, it denies it
    denied_after: Tuple[Tuple[str, ...], ...] = ()
    #: "neck of the woods", "got my back": a body word in a figure of speech names no region
    region_idioms: Tuple[Tuple[str, ...], ...] = ()
    #: "my mate says it's text neck": a person who only speaks owns nothing of what follows
    speech_verbs: frozenset = frozenset()
    #: "my grandmother always said": words that may stand between the person and the speech verb
    speech_verbs_skipping: frozenset = frozenset()
    #: "lifting a sofa with my brother": a person after one of these is company, not whose pain it is
    company_words: frozenset = frozenset()
    #: what someone has before any part or sign is named ("my husband has a knot"), for whose pain it is
    complaint_words: frozenset = frozenset()
    #: "after lifting my son", "transferring my patient", "my late husband": the person after one of these is what
    #: the writer handled, or no longer living: not whose pain it is, and no cue that the message is for them
    handled_words: frozenset = frozenset()
    #: "I hurt my back helping my dad", "neck pain, caring for my husband who had a stroke": once the writer has
    #: told their pain, a cue for someone right after one of these names the person they care for, in their story
    carer_words: Tuple[Tuple[str, ...], ...] = ()
    #: "I am not writing for anybody": a cue for someone else straight after one of these says the opposite
    cue_denied_by: frozenset = frozenset()
    #: "she hasnt been dieting": beside `cue_denied_by`, words just before an explanation that deny it
    explanation_denied_by: frozenset = frozenset()
    #: "hypothetically if someone couldn't feel their bum ... (it's me)": the writer owning up to a made-up someone
    self_reveal: Tuple[Tuple[str, ...], ...] = ()
    #: "HCA at a GP practice, for myself: c/o neck ache": the writer says the message is about themselves
    self_declared: Tuple[Tuple[str, ...], ...] = ()
    #: "This is my discharge summary: 36M, ...": the writer's own record, whose age and sex are the writer's
    own_record: Tuple[Tuple[str, ...], ...] = ()
    #: a front desk cue that relays someone's words ("caller says ..."): "her son" after it may be the patient
    relay_words: frozenset = frozenset()
    #: "FHx:", "family history:": a heading whose sentence is the family's, not the person's
    family_history_headings: Tuple[Tuple[str, ...], ...] = ()
    #: "what massage can I do for the shoulder": verbs of the writer doing something for someone else's body
    acts_on: frozenset = frozenset()
    #: people a writer looks after at work ("my patient", "my client"), never the writer's family
    cared_for: frozenset = frozenset()
    #: "my lower back - no wait, it's the middle": between two body parts, the first one is taken back
    corrections: Tuple[Tuple[str, ...], ...] = ()
    #: the made-up someone's words read as the writer's once revealed ("their" -> "my")
    someone_words: Dict[str, str] = field(default_factory=dict)
    #: "I think", "I don't know": after "I", the writer only speaks or wonders (auxiliaries between are skipped)
    writer_speaks: Tuple[Tuple[str, ...], ...] = ()
    writer_speaks_skipping: frozenset = frozenset()
    #: "help me", "tell me": the writer asking, not a person in the story
    writer_asks_before_me: frozenset = frozenset()
    #: "my father had it in his legs and now I do too": the writer has it as well
    writer_too: Tuple[Tuple[str, ...], ...] = ()
    #: "such as", "e.g.": a body part given as an example, in a message that names no one, is no one's region
    example_cues: Tuple[Tuple[str, ...], ...] = ()
    #: beside the self words, pronouns and subject nouns, the words that name people ("we", "you", "someone")
    people_words: frozenset = frozenset()
    #: "mine's day 3", "mines just sore": the writer has pain of their own beside someone else's
    writer_mine: Tuple[Tuple[str, ...], ...] = ()
    #: "she's worried since her dad had a heart attack": after one of these words the person is "she" or "he", and
    #: a relative named with one of `their_determiners` is theirs, not the one the message is about
    third_person_subjects: frozenset = frozenset()
    their_determiners: frozenset = frozenset()
    #: red flags that can be over and done with, the cues that say so, what may stand before such a cue, and
    #: what undoes it ("went away but came back"); events (a fall) are past by "years ago" too
    past_codes: frozenset = frozenset()
    past_after: Tuple[Tuple[str, ...], ...] = ()
    past_separators: frozenset = frozenset()
    past_undone: Tuple[Tuple[str, ...], ...] = ()
    past_before: Tuple[Tuple[str, ...], ...] = ()
    past_after_directly: Tuple[Tuple[str, ...], ...] = ()
    past_event_codes: frozenset = frozenset()
    past_event_after: Tuple[Tuple[str, ...], ...] = ()
    #: red flag code -> what explains it away later in its sentence ("lost weight, but I've been on a diet")
    explained_after: Dict[str, Tuple[Tuple[str, ...], ...]] = field(default_factory=dict)
    #: "a not in my neck": after one of these words "not" is "knot" mistyped, and negates nothing
    not_a_knot_after: frozenset = frozenset()
    #: someone else's signs that need help now, and the words that say it is now or ask what to do: with both, the
    #: message is not only told in passing ("the guy at the next desk just passed out, what do I do")
    never_in_passing: frozenset = frozenset()
    #: a question about people in general, or a professional's about their clients: whose words, who asks, how a
    #: question opens, and what makes it the writer's own (context.yml `general`)
    general_people: Tuple[Tuple[str, ...], ...] = ()
    general_roles: Tuple[Tuple[str, ...], ...] = ()
    question_starts: Tuple[Tuple[str, ...], ...] = ()
    general_own: Tuple[Tuple[str, ...], ...] = ()
    general_own_unless: frozenset = frozenset()
    help_now: Tuple[Tuple[str, ...], ...] = ()
    her_as_object_before: frozenset = frozenset()
    group_words: frozenset = frozenset()


def _rest_of_sentence(words: Sequence[str], end: int, limit: int) -> List[str]:
    """The words after a mention, up to the end of its sentence and at most `limit` of them."""
    rest: List[str] = []
    for word in words[end:end + limit]:
        if word in _SENTENCE_ENDS:
            break
        rest.append(word)
    return rest


def _by_first_word(cues: Sequence[Tuple[str, ...]]) -> Dict[str, Tuple[Tuple[str, ...], ...]]:
    """Cues grouped by their first word, longest first within each group, for a look-up per token."""
    grouped: Dict[str, List[Tuple[str, ...]]] = {}
    for cue in sorted(cues, key=len, reverse=True):
        grouped.setdefault(cue[0], []).append(cue)
    return {word: tuple(group) for word, group in grouped.items()}


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
        #: matcher key of one side of a `both` pattern read over the whole message -> (pair key, side); the pair key
        #: is the value key and the pattern's index, so one pattern's first side never pairs with another's second
        self._sides: Dict[str, Tuple[str, str]] = {}
        #: value key of a `both` pattern -> the condition that stands for its first side once the conversation holds
        #: it (`first_given_by`: "she's had some bleeding", typed after "my wife is 26 weeks pregnant")
        self._first_given_by: Dict[str, str] = {}
        #: value key -> values whose mentions in the same message it cancels (see red_flags.yml `overrides`)
        self._overrides: Dict[str, frozenset] = {}
        #: entities read with negation only, and only in a statement (`context: negation`): a question's topic is
        #: asked about in "what if I'm pregnant?", "asking for my wife" or "why don't I feel it where the knot
        #: is?", but not in "no chest pain or breathing problems, just a knot"
        self._negation_only: set = set()
        #: "lower part", "middle bit" -> the part of the back they name after a generic "back" (body_regions.yml)
        self._back_part_words: List[Tuple[Tuple[str, ...], str]] = []
        #: "entity|value" -> (entity, value) it also names: a muscle names its region (muscles.yml `region`)
        self._implies: Dict[str, Tuple[str, str]] = {}
        #: value key -> the value key every mention of it is also read as (`also`: a serious accident is an injury)
        self._also: Dict[str, str] = {}
        #: figures of speech written as token patterns (context.yml `region_idiom_patterns`)
        self._idiom_matcher = Matcher(self.nlp.vocab)
        self._speller = Speller.for_patterns(self.pattern_dir)
        for path in sorted(self.pattern_dir.glob("*.yml")):
            spec = _load_yaml(path)
            if path.stem == "context":
                self._context = self._read_context(spec)
                self._front_desk_cues = _by_first_word(self._context.front_desk)
                self._relative_cues = _by_first_word(self._context.proxy + self._context.proxy_more)
                if spec.get("region_idiom_patterns"):
                    self._idiom_matcher.add("idiom", spec["region_idiom_patterns"])
            elif "entity" in spec:
                self._add_patterns(spec)

    def _templated(self, spec: Dict[str, Any], key: str) -> List[Tuple[str, ...]]:
        """Cues written once with `{noun}` for each subject noun ("it's my {noun}": "it's my grandad", ...)."""
        return [tuple(t.text.lower() for t in self.nlp.make_doc(template.replace("{noun}", noun)))
                for template in spec.get(key, []) for noun in spec.get("subject_nouns", [])]

    def _read_context(self, spec: Dict[str, Any]) -> _Context:
        def phrases(key: str, source: Optional[Dict[str, Any]] = None) -> Tuple[Tuple[str, ...], ...]:
            items = [tuple(t.text.lower() for t in self.nlp.make_doc(p)) for p in (source or spec).get(key, [])]
            return tuple(sorted(set(items), key=len, reverse=True))

        past, events = spec.get("past") or {}, spec.get("past_events") or {}
        now = spec.get("never_in_passing") or {}
        general = spec.get("general") or {}

        return _Context(
            negation_window=int(spec.get("negation_window", 5)),
            negation=phrases("negation"),
            not_a_knot_after=frozenset(spec.get("not_a_knot_after", [])),
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
            her_as_object_before=frozenset(spec.get("her_as_object_before", [])),
            group_words=frozenset(spec.get("group_words", [])),
            subject_nouns=frozenset(spec.get("subject_nouns", [])),
            subject_determiners=frozenset(spec.get("subject_determiners", [])),
            subject_pronouns=frozenset(spec.get("subject_pronouns", [])),
            front_desk=phrases("front_desk"),
            proxy_more=tuple(sorted(set(phrases("proxy_more")) | set(self._templated(spec, "proxy_templates")),
                                    key=len, reverse=True)),
            self_before_frame=phrases("self_before_frame"),
            negation_long=phrases("negation_long"),
            clinical_markers=frozenset(spec.get("clinical_markers", [])),
            clinical_marker_patterns=tuple(re.compile(p) for p in spec.get("clinical_marker_patterns", [])),
            negation_stopped_by=frozenset(spec.get("negation_stopped_by", [])),
            negation_coordinators=frozenset(spec.get("negation_coordinators", [])),
            negation_coordinated_window=int(spec.get("negation_coordinated_window", 0)),
            denied_after=phrases("denied_after"),
            region_idioms=phrases("region_idioms"),
            speech_verbs=frozenset(spec.get("speech_verbs", [])),
            speech_verbs_skipping=frozenset(spec.get("speech_verbs_skipping", [])),
            company_words=frozenset(spec.get("company_words", [])),
            complaint_words=frozenset(spec.get("complaint_words", [])),
            handled_words=frozenset(spec.get("handled_words", [])),
            carer_words=phrases("carer_words"),
            cue_denied_by=frozenset(spec.get("cue_denied_by", [])),
            explanation_denied_by=frozenset(spec.get("explanation_denied_by", [])),
            self_reveal=phrases("self_reveal"),
            self_declared=phrases("self_declared"),
            own_record=phrases("own_record"),
            cared_for=frozenset(spec.get("cared_for", [])),
            acts_on=frozenset(spec.get("acts_on", [])),
            family_history_headings=phrases("family_history_headings"),
            relay_words=frozenset(spec.get("relay_words", [])),
            corrections=phrases("corrections"),
            someone_words=dict(spec.get("someone_words") or {}),
            writer_speaks=phrases("writer_speaks"),
            writer_speaks_skipping=frozenset(spec.get("writer_speaks_skipping", [])),
            writer_asks_before_me=frozenset(spec.get("writer_asks_before_me", [])),
            writer_too=phrases("writer_too"),
            example_cues=phrases("example_cues"),
            people_words=frozenset(spec.get("people_words", [])),
            writer_mine=phrases("writer_mine"),
            third_person_subjects=frozenset(spec.get("third_person_subjects", [])),
            their_determiners=frozenset(spec.get("their_determiners", [])),
            past_codes=frozenset(past.get("codes", [])),
            past_after=phrases("after", past),
            past_separators=frozenset(past.get("separators", [])),
            past_undone=phrases("undone", past),
            past_before=phrases("before", past),
            past_after_directly=phrases("after_directly", past),
            past_event_codes=frozenset(events.get("codes", [])),
            past_event_after=phrases("after", events),
            explained_after={str(code): phrases(str(code), spec.get("explained_after") or {})
                             for code in (spec.get("explained_after") or {})},
            never_in_passing=frozenset(now.get("codes", [])),
            help_now=phrases("now", now),
            general_people=phrases("people", general),
            general_roles=phrases("roles", general),
            question_starts=phrases("question_starts", general),
            general_own=phrases("own", general),
            general_own_unless=frozenset(general.get("own_unless_followed_by", [])),
        )

    def _add_patterns(self, spec: Dict[str, Any]) -> None:
        entity = spec["entity"]
        for value, words in (spec.get("back_part_words") or {}).items():
            self._back_part_words += [(tuple(t.text for t in self.nlp.make_doc(str(w).lower())), value) for w in words]
        self._back_part_words.sort(key=lambda item: len(item[0]), reverse=True)
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
                # or {both: [firsts, seconds], gap: token}: one of each, in either order; with `whole_message`,
                # each side may also stand anywhere in the message, read with its own context, and with
                # `first_given_by: <condition>` the second alone will do once the conversation holds the condition.
                if isinstance(pattern, dict) and "both" in pattern:
                    firsts, seconds = pattern["both"]
                    self._matcher.add(key, [a + [pattern["gap"]] + b for a in firsts for b in seconds]
                                      + [b + [pattern["gap"]] + a for a in firsts for b in seconds])
                    if pattern.get("first_given_by"):
                        self._first_given_by[key] = pattern["first_given_by"]
                    if pattern.get("whole_message"):
                        for side, alternatives in (("first", firsts), ("second", seconds)):
                            side_key = f"{key}|{index}|{side}"
                            self._matcher.add(side_key, alternatives)
                            self._sides[side_key] = (f"{key}|{index}", side)
                elif isinstance(pattern, dict):
                    sub_key = f"{key}|{index}"
                    self._matcher.add(sub_key, [pattern["tokens"]])
                    self._spans[sub_key] = tuple(pattern.get("span") or (0, len(pattern["tokens"])))
                    # a pattern's own words that may not follow it, in place of the value's
                    if "not_followed_by" in pattern:
                        self._not_followed_by[sub_key] = frozenset(pattern["not_followed_by"] or ())
                else:
                    self._matcher.add(key, [pattern])
            if rules.get("not_followed_by"):
                self._not_followed_by[key] = frozenset(rules["not_followed_by"])
            if rules.get("overrides"):
                self._overrides[key] = frozenset(f"{entity}|{v}" for v in rules["overrides"])
            if rules.get("region"):
                self._implies[key] = ("body_region", rules["region"])
            if rules.get("also"):
                self._also[key] = f"{entity}|{rules['also']}"

    # -- reading -------------------------------------------------------------

    def refinements(self, entity: str) -> FrozenSet[str]:
        """The values of `entity` that are always read beside another of its values (patterns' `also`)."""
        return frozenset(key.split("|", 1)[1] for key in self._also if key.split("|", 1)[0] == entity)

    def make_doc(self, text: str) -> Doc:
        """Tokenise lower-cased text (same length as the original, so offsets hold)."""
        return self.nlp.make_doc(text.lower())

    def extract(self, text: str, doc: Optional[Doc] = None, writer_in_pain: bool = False,
                known: FrozenSet[str] = frozenset(),
                passing: FrozenSet[Tuple[str, str]] = frozenset()) -> List[Mention]:
        """Return every mention in `text`, each with its context status, and `subject`: `other` when it is someone
        else's, `self` when the writer says it is theirs after all ("actually it's me").

        Misspelt words are read as meant ("numbnes in bothe legs", `spelling`); every mention still points at the
        words as typed.

        `writer_in_pain`: the message comes in a conversation about the writer's own pain. Someone else's signs told
        in passing ("my wife's laid up with a temperature") are then theirs, not the conversation's; only a message
        that says it is for someone else ("it's for my wife, she ...") makes them its subject.

        `known`: the conditions the conversation already holds for the person whose pain it is (a pattern's
        `first_given_by`).

        `passing`: the red flags and conditions someone else was told to have in passing earlier in the conversation,
        as (entity, code). Told in passing, they are kept as `passing_red_flag` and `passing_condition` mentions; when
        a message turns the conversation to someone else ("actually it's her I'm worried about, what should she
        do?"), they are the new subject's."""
        respelt = self._speller.respell(text or "")
        if not respelt.changes:
            return self._read(text, doc, writer_in_pain, known, passing)
        mentions = []
        for mention in self._read(respelt.text, None, writer_in_pain, known, passing):
            start, end = respelt.said(mention.start, mention.end)
            mentions.append(replace(mention, start=start, end=end, text=text[start:end]))
        return mentions

    def _read(self, text: str, doc: Optional[Doc], writer_in_pain: bool, known: FrozenSet[str],
              passing: FrozenSet[Tuple[str, str]]) -> List[Mention]:
        """`extract` on text as it is meant to be read."""
        if not text or not text.strip():
            return []
        doc = doc if doc is not None and len(doc.text) == len(text) else self.make_doc(text)
        # Written for someone else ("writing for my dad, he passed out"): that person is the one with the
        # pain, so their pronouns read as the writer's. Same tokens, so spans map back onto `doc`.
        seen_as = self._as_proxy(doc)
        mentions = self._mentions(text, doc, seen_as, known)
        ctx = getattr(self, "_context", None)
        # Whose pain it is, from what would be read were it the writer's ("fell off his bike" reads as a fall).
        candidates = mentions
        if ctx is not None and any(token.lower_ in ctx.subject_pronouns for token in doc):
            candidates = self._mentions(text, doc, self._as_subject(doc, None), known)
        # "my husband is in terrible pain": how bad it is belongs to someone too
        candidates = list(candidates) + [m for m in self._quantities(text, about_other=False) if m.entity == "severity"]
        declared_self = self._cue_span(doc, "self_declared")
        owned_up = declared_self or self._cue_span(doc, "self_reveal")
        frame = None if declared_self else self._subject(text, doc, candidates)
        own_frame = None
        if frame is not None and writer_in_pain and self._own_age_and_sex(text, doc, frame[:2]):
            # "achy, 4/10, 29M" in a conversation about the writer's own pain: the writer's age and sex
            own_frame, frame = frame, None
        elif frame is not None and self._cue_span(doc, "own_record") and \
                self._own_age_and_sex(text, doc, frame[:2], in_a_record=True):
            # "This is my discharge summary: 36M, L neck pain ...": the writer's own record
            own_frame, frame = frame, None
        theirs = self._mentions(text, doc, self._as_subject(doc, frame[2]), known) if frame is not None else []
        # Told in passing, someone else's signs are theirs alone; but help they need now is asked for, said or not.
        in_passing = frame is not None and writer_in_pain and not frame[4] and not self._needs_help_now(doc, theirs)
        if in_passing:
            frame = None
        if frame is not None:
            start, end, noun, writer, _ = frame
            mentions = theirs
            mentions.append(Mention("subject", "other", start, end, text[start:end], AFFIRMED))
            mentions.append(Mention("writer", writer, start, end, text[start:end], AFFIRMED))
        elif ctx is not None and self._reveals_self(doc):
            # The someone of a "hypothetically" is the writer: their signs are the writer's, and not made up.
            revealed = Doc(doc.vocab, words=[ctx.someone_words.get(t.lower_, t.lower_) for t in doc],
                           spaces=[bool(t.whitespace_) for t in doc])
            mentions = [m if m.status != HYPOTHETICAL or m.entity not in PERSONAL_ENTITIES
                        else Mention(m.entity, m.value, m.start, m.end, m.text, AFFIRMED)
                        for m in self._mentions(text, doc, revealed, known)]
        mentions = self._corrected(doc, mentions)
        if in_passing:
            # Nothing of theirs is the writer's: not what hurts them, nor for how long, nor their age.
            mentions = self._not_theirs(doc, mentions)
            # ... but theirs, kept aside: the writer may turn to them a message later.
            mentions += self._kept_aside([m for m in theirs if m.affirmed], mentions)
        elif frame is None and writer_in_pain and ctx is not None and \
                any(t.lower_ in ctx.subject_pronouns for t in doc):
            # "he's 71 and he passed out, anyway mine is an ache": someone named a message before, by their pronouns
            # alone. What is theirs stays theirs, kept aside like signs told in passing.
            mentions = self._not_theirs(doc, mentions)
            mentions += self._kept_aside([m for m in candidates if m.affirmed], mentions)
            mentions += [m for m in self._quantities(text, about_other=False)
                         if m.entity != "age" or quantities.is_writers_age(m.text)]
        else:
            mentions += self._quantities(text, about_other=frame is not None)
            if own_frame is not None and not any(m.entity == "age" for m in mentions):
                mentions.append(Mention("age", text[own_frame[0]:own_frame[1]], own_frame[0], own_frame[1],
                                        text[own_frame[0]:own_frame[1]], AFFIRMED))
        if frame is None and owned_up is not None:
            mentions.append(Mention("subject", "self", owned_up[0], owned_up[1], text[owned_up[0]:owned_up[1]]))
        mentions = self._without_animals_parts(doc, mentions)
        if frame is None and not in_passing:
            # "my upper back is killing me, and my brother's legs have gone numb": his, kept aside like the above
            mentions += self._kept_aside([m for m in mentions if m.status == OTHER_PERSON], mentions)
        mentions += self._turned_to(mentions, passing)
        if self._asks_in_general(doc):
            mentions = [m for m in mentions if m.entity not in self._TOPIC_ONLY
                        or (m.entity == "subject" and m.value == "self")]
            if not any(m.entity == "question_topic" for m in mentions):
                # asked of no one's pain and of none of the common topics: what the assistant can do in general
                mentions.append(Mention("question_topic", GENERAL_TOPIC, 0, len(doc[0]), text[:len(doc[0])]))
        return sorted(mentions, key=lambda m: (m.start, -m.end))

    def _own_age_and_sex(self, text: str, doc: Doc, span: Tuple[int, int], in_a_record: bool = False) -> bool:
        """The frame at `span` is an age and sex ("29M", "34 year old female": `quantities.find_frames`, or the
        context's age-and-sex marker) in a message that names nobody else (no "he", no relative) and has no other
        clinical shorthand ("c/o", "pt"). `in_a_record`: the writer says it is their own record, whose shorthand and
        third person ("PMH", "he was advised") are the record's; only a person named ("my patient") counts then."""
        ctx = self._context
        said = text[span[0]:span[1]].strip().lower()
        if tuple(span) not in set(quantities.find_frames(text)) and not any(p.match(said)
                                                                          for p in ctx.clinical_marker_patterns):
            return False
        words = [token.lower_ for token in doc]
        # "office worker" is the writer's job; "my dad", "a patient" name someone
        named = any(w in ctx.subject_nouns and i and words[i - 1] in ctx.subject_determiners
                    for i, w in enumerate(words))
        if in_a_record:
            # "can't pick up my toddler" is the writer's family; "58M patient", "my client" someone they care for
            # (and "FHx: father - prostate cancer" is the family's history)
            return not any(w in ctx.subject_nouns and (not i or words[i - 1] not in ("my", "our") or w in ctx.cared_for)
                           and not self._under_family_history(words, i) for i, w in enumerate(words))
        return not named and not any(w in ctx.subject_pronouns or w in ctx.clinical_markers for w in words)

    @staticmethod
    def _kept_aside(found: Sequence[Mention], already: Sequence[Mention]) -> List[Mention]:
        """Someone else's red flags and conditions among `found`, as `passing_*` mentions, each once."""
        kept = {(m.entity, m.value) for m in already if m.entity in PASSING.values()}
        out = []
        for m in found:
            if m.entity in PASSING and (PASSING[m.entity], m.value) not in kept:
                kept.add((PASSING[m.entity], m.value))
                out.append(Mention(PASSING[m.entity], m.value, m.start, m.end, m.text, AFFIRMED))
        return out

    @staticmethod
    def _turned_to(mentions: Sequence[Mention], passing: FrozenSet[Tuple[str, str]]) -> List[Mention]:
        """The red flags and conditions told in passing (`extract`'s `passing`), as those of a message that makes
        someone else the subject: affirmed, at the words that name them."""
        them = next((m for m in mentions if m.entity == "subject" and m.value == "other" and m.affirmed), None)
        if them is None or not passing:
            return []
        said = {(m.entity, m.value) for m in mentions if m.affirmed}
        return [Mention(entity, code, them.start, them.end, them.text, AFFIRMED)
                for entity, code in sorted(passing) if entity in PASSING and (entity, code) not in said]

    #: what a question about people in general names as its topic only
    _TOPIC_ONLY = frozenset({"body_region", "muscle", "pain_quality", "severity", "subject", "writer"})

    def _asks_in_general(self, doc: Doc) -> bool:
        """ "Why does stress go straight to people's shoulders?", "PT here: should clients release their traps before
        pressing?": a question about people in general, or by a professional, naming no one in particular and
        nothing of the writer's own (context.yml `general`)."""
        ctx = getattr(self, "_context", None)
        if ctx is None or not ctx.general_people:
            return False
        words = [token.lower_ for token in doc]
        starts = [0] + [i + 1 for i, w in enumerate(words) if w in (".", "!", "?", ":", ";", "-", "—", "–", "\n")]
        asks = "?" in words or any(tuple(words[i:i + len(c)]) == c for i in starts for c in ctx.question_starts)
        if not asks or not (self._says(doc, "general_people") or self._says(doc, "general_roles")):
            return False
        # the group and role words name no one in particular, though some also name a person ("my student")
        many = {cue[0] for cue in ctx.general_people + ctx.general_roles if len(cue) == 1}
        someone = any((w in ctx.subject_pronouns or w in ctx.subject_nouns or w in ctx.clinical_markers
                       or any(p.match(w) for p in ctx.clinical_marker_patterns)) and w not in many for w in words)
        someone = someone or any(True for _ in quantities.find_frames(doc.text)) \
            or any(True for _ in quantities.find_ages(doc.text))
        # "I have", "my": the writer's own; "I'm a physio": who they are
        own = any(tuple(words[i:i + len(c)]) == c and (i + len(c) >= len(words)
                                                        or words[i + len(c)] not in ctx.general_own_unless)
                  for c in ctx.general_own for i in range(len(words)))
        return not someone and not own

    def _without_animals_parts(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        """ "My dachshund yelps when I touch his lower back": an animal's body parts, signs and pain are no person's,
        and the message is about someone else. The writer's own ("I hurt my back walking the dog") stay, and so does
        everything in a message that also names a person ("my dad's dog knocked him over")."""
        ctx = getattr(self, "_context", None)
        animals = [m for m in mentions if m.entity == "animal"]
        words = [token.lower_ for token in doc]
        if ctx is None or not animals or any(w in ctx.subject_nouns for w in words):
            return mentions
        index = {token.idx: token.i for token in doc}
        animal_tokens = {index[m.start] for m in animals if m.start in index}
        first_animal = min(m.start for m in animals)
        theirs = []
        for mention in mentions:
            if mention.entity not in self._OWNED and mention.entity != "condition":
                continue
            token = next((t.i for t in doc if t.idx >= mention.start), len(doc))
            owner = None
            for i in range(token - 1, max(-1, token - 14), -1):
                if words[i] in _SENTENCE_ENDS:
                    break
                if i in animal_tokens or words[i] in ctx.subject_pronouns:
                    owner = "animal"
                    break
                if words[i] in ctx.self_words and not (i + 1 in animal_tokens or i + 2 in animal_tokens):
                    owner = "self"
                    break
            # "our horse has been sore through the back": unowned, after the animal, is the animal's
            if owner == "animal" or (owner is None and mention.start > first_animal):
                theirs.append(mention)
        if not theirs:
            return mentions
        kept = [m for m in mentions if m not in theirs and m.entity not in ("subject", "writer")]
        start, end = animals[0].start, animals[0].end
        return kept + [Mention("subject", "other", start, end, animals[0].text, AFFIRMED)]

    def _needs_help_now(self, doc: Doc, theirs: Sequence[Mention]) -> bool:
        """Whether someone else's signs, read as theirs, include one that needs help now (context.yml
        `never_in_passing`) in a message that says it is happening now or asks what to do."""
        ctx = getattr(self, "_context", None)
        if ctx is None:
            return False
        starts = [m.start for m in theirs if m.entity == "red_flag" and m.affirmed and m.value in ctx.never_in_passing]
        if not starts:
            return False
        words = [token.lower_ for token in doc]
        # from the start of the sign's sentence on: "what do I do about my knot? my dad fainted last year" is not it
        first = next(t.i for t in doc if t.idx + len(t) > min(starts))
        first = max((i + 1 for i in range(first) if words[i] in _SENTENCE_ENDS or words[i] == "\n"), default=0)
        return self._cue_span(doc, "help_now", start=first) is not None

    def _not_theirs(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        """The mentions without those someone else owns ("my husband has a bad back too": his back)."""
        words = [token.lower_ for token in doc]
        kept = []
        for mention in mentions:
            token = next((t.i for t in doc if t.idx >= mention.start), len(doc))
            owner = self._owner(words, token) or self._other_within(doc, words, token, mention.end)
            if mention.entity in self._OWNED and (owner is None or owner[0] == "other"):
                # unowned in a message about someone else ("he has a fever and a stiff neck too") is theirs too
                if owner is not None or not self._writer_present(words):
                    continue
            kept.append(mention)
        return kept

    def _corrected(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        """ "My lower back - no wait, it's more the middle": a body part the writer takes back, with a correction
        cue between it and the next part they name (at most CORRECTION_REACH tokens later), is no longer said."""
        ctx = getattr(self, "_context", None)
        if ctx is None or not ctx.corrections:
            return mentions
        parts = sorted((m for m in mentions if m.entity in BODY_ENTITIES and m.status == AFFIRMED),
                       key=lambda m: m.start)
        if len(parts) < 2:
            return mentions  # nothing to take back (most messages: no token maps to build)
        starts = {token.idx: token.i for token in doc}
        ends = {token.idx + len(token): token.i + 1 for token in doc}
        taken_back = set()
        for before, after in zip(parts, parts[1:], strict=False):
            first, last = ends.get(before.end), starts.get(after.start)
            if first is None or last is None or before.value == after.value or not 0 < last - first <= CORRECTION_REACH:
                continue
            between = [token.lower_ for token in doc[first:last]]
            if any(tuple(between[i:i + len(cue)]) == cue for i in range(len(between)) for cue in ctx.corrections):
                taken_back.add(id(before))
        return [Mention(m.entity, m.value, m.start, m.end, m.text, NEGATED) if id(m) in taken_back else m
                for m in mentions]

    def _mentions(self, text: str, doc: Doc, seen_as: Doc, known: FrozenSet[str] = frozenset()) -> List[Mention]:
        """The pattern mentions read in `seen_as` (the same tokens as `doc`), with their context status (`known`:
        as in `extract`)."""
        by_entity: Dict[str, List[Tuple[Span, str]]] = {}
        sides: Dict[str, Dict[str, List[Tuple[int, int]]]] = {}
        for match_id, start, end in list(self._matcher(seen_as)) + list(self._phrases(seen_as)):
            key = self.nlp.vocab.strings[match_id]
            if key in self._sides:
                pair, side = self._sides[key]
                sides.setdefault(pair, {}).setdefault(side, []).append((start, end))
                continue
            # A pattern's own list wins over its value's (`None` when it has none).
            blocked = self._not_followed_by.get(key)
            if key in self._spans:
                offset_start, offset_end = self._spans[key]
                start, end = start + offset_start, start + offset_end
                key = key.rsplit("|", 1)[0]
            if blocked is None:
                blocked = self._not_followed_by.get(key)
            if blocked and end < len(doc) and doc[end].lower_ in blocked:
                continue
            entity, value = key.split("|", 1)
            by_entity.setdefault(entity, []).append((Span(doc, start, end, label=value), value))

        words = [token.lower_ for token in seen_as]
        mentions: List[Mention] = []
        for entity, found in by_entity.items():
            if entity == "body_region":
                # "my upper back is killing me": a named part of the back wins over the longer generic phrase
                # ("back is killing") that overlaps it.
                parts = [span for span, value in found if value in BACK_PARTS]
                found = [(span, value) for span, value in found if value != "back"
                         or not any(span.start < p.end and p.start < span.end for p in parts)]
            # Longest match wins inside one entity ("shoulder blade" over "shoulder"); one mention per span
            # (the same words may be in two pattern files). A red flag hides another only when its words hold the
            # other's ("severe pain ... then he passed out" says what "passed out" means there); overlapping ones
            # are both kept ("crushing chest pain going into my left arm" is chest pain and an arm sign).
            if entity == "red_flag":
                groups = [[span for span, v in found if v == value] for value in {v for _, v in found}]
                longest = [s for group in groups for s in filter_spans(group)]
                kept = {(s.start, s.end, s.label_) for s in longest if not any(
                    o.start <= s.start and s.end <= o.end and (o.end - o.start) > (s.end - s.start) for o in longest)}
            else:
                kept = {(s.start, s.end, "") for s in filter_spans([span for span, _ in found])}
            seen = set()
            for span, value in found:
                spot = (span.start, span.end, value if entity == "red_flag" else "")
                if spot not in kept or spot in seen:
                    continue
                seen.add(spot)
                status = self._status(words, span.start, entity, span.end, value)
                # Whether the message asks anything matters only for a denied mention (rare): checked then.
                if entity in self._negation_only and (status != NEGATED or asks_anything(text)):
                    status = AFFIRMED
                mentions.append(
                    Mention(entity, value, span.start_char, span.end_char, text[span.start_char:span.end_char], status)
                )
        mentions += self._both_sides(text, doc, words, sides, mentions, known)
        # An affirmed fact can rule another out ("wakes me at 4am but loosens up once I get moving" is not
        # night pain that rest and moving don't ease).
        cancelled = set().union(*(self._overrides.get(f"{m.entity}|{m.value}", ()) for m in mentions if m.affirmed))
        mentions = [m for m in mentions if f"{m.entity}|{m.value}" not in cancelled]
        # "rear-ended on the motorway" is a serious accident and, like any fall or blow, an injury
        for mention in list(mentions):
            also = self._also.get(f"{mention.entity}|{mention.value}")
            if also and not any(f"{m.entity}|{m.value}" == also and m.start == mention.start for m in mentions):
                entity, value = also.split("|", 1)
                mentions.append(Mention(entity, value, mention.start, mention.end, mention.text, mention.status))
        # "tight traps", "my QL on the right": the muscle names its region (and a region word inside the muscle's
        # name, "scapulae" in "levator scapulae", gives way to it).
        for mention in list(mentions):
            implied = self._implies.get(f"{mention.entity}|{mention.value}")
            if not implied:
                continue
            inside = [m for m in mentions
                      if m.entity == implied[0] and mention.start <= m.start and m.end <= mention.end]
            mentions = [m for m in mentions if m not in inside]
            if not any(m.entity == implied[0] and m.start < mention.end and mention.start < m.end for m in mentions):
                mentions.append(Mention(implied[0], implied[1], mention.start, mention.end, mention.text,
                                        mention.status))
        # "cervical disc", "lumbar spinal stenosis": the generic back word after a named part is that part; and
        # "between my shoulder blade and spine", "my back, the lower part mostly": a part of the back named in the
        # same message says which part the generic word meant.
        named_parts = [m for m in mentions if m.entity == "body_region" and m.value != "back"]
        back_parts = [p for p in named_parts if p.value in BACK_PARTS and p.affirmed]
        mentions = [m for m in mentions if not (
            m.entity == "body_region" and m.value == "back"
            and (back_parts or any(p.end <= m.start and not text[p.end:m.start].strip(" -") for p in named_parts)))]
        # "my back is stiff, middle part", "back's gone again, the low bit": which part, said after the generic word.
        generic = [m for m in mentions if m.entity == "body_region" and m.value == "back" and m.affirmed]
        if generic and not back_parts and self._back_part_words:
            said = self._back_part_said(doc, after=generic[0].end) or self._back_part_before(doc, generic[0].start)
            if said is not None:
                # the region stands where "back" was last said before it, so that whose back it is ("his back ... low
                # down") holds
                value, start = said[0], said[1]
                at = ([m for m in generic if m.start < start] or generic)[-1]
                mentions = [m for m in mentions if m not in generic]
                mentions.append(Mention("body_region", value, at.start, at.end, at.text, AFFIRMED))
        idioms = self._idiom_spans(seen_as, doc)
        mentions = [m for m in mentions if not (
            m.entity in BODY_ENTITIES and any(start <= m.start and m.end <= end for start, end in idioms))]
        if any(m.entity in BODY_ENTITIES for m in mentions) and not self._names_anyone(words):
            mentions = [m for m in mentions
                        if not (m.entity in BODY_ENTITIES and self._given_as_example(doc, words, m))]
        return mentions

    def _both_sides(self, text: str, doc: Doc, words: Sequence[str], sides: Dict[str, Dict[str, List[Tuple[int, int]]]],
                    found: Sequence[Mention], known: FrozenSet[str] = frozenset()) -> List[Mention]:
        """A `whole_message` pair whose two sides are each affirmed somewhere in the message ("I'm 32 weeks pregnant.
        Back pain is nothing new ... Today a tightening across my bump every ten minutes"). Each side is read with
        its own context, so "no bleeding" after "pregnant" still counts as denied; the mention is the later side.
        A condition the conversation already holds stands for the first side of a pattern it is `first_given_by`."""
        extra: List[Mention] = []
        for pair, spans in sides.items():
            value_key = pair.rsplit("|", 1)[0]
            entity, value = value_key.split("|", 1)
            if any(m.entity == entity and m.value == value and m.affirmed for m in (*found, *extra)):
                continue
            affirmed = {side: [(start, end) for start, end in spans.get(side, [])
                               if self._status(words, start, entity, end, value) == AFFIRMED]
                        for side in ("first", "second")}
            if not affirmed["first"] and self._first_given_by.get(value_key) in known:
                affirmed["first"] = affirmed["second"]
            if not affirmed["first"] or not affirmed["second"]:
                continue
            start, end = max(affirmed["first"][0], affirmed["second"][0])
            span = doc[start:end]
            extra.append(Mention(entity, value, span.start_char, span.end_char, text[span.start_char:span.end_char],
                                 AFFIRMED))
        return extra

    def _given_as_example(self, doc: Doc, words: Sequence[str], mention: Mention) -> bool:
        """ "trauma such as a neck injury": a body word given as an example (in a message naming no one, a general
        question about a disease says nothing of anyone's neck)."""
        cues = getattr(self, "_context", None) and self._context.example_cues
        if not cues:
            return False
        token = next((t.i for t in doc if t.idx >= mention.start), len(doc))
        clause = self._clause_before(words, token)
        return any(tuple(clause[i:i + len(cue)]) == cue for cue in cues for i in range(len(clause)))

    def _names_anyone(self, words: Sequence[str]) -> bool:
        """True when the message names a person: the writer, a pronoun or a noun for someone."""
        ctx = getattr(self, "_context", None)
        return ctx is None or any(w in ctx.self_words or w in ctx.subject_pronouns or w in ctx.subject_nouns
                                  or w in ctx.people_words for w in words)

    def _back_part_said(self, doc: Doc, after: int) -> Optional[Tuple[str, int, int]]:
        """The part of the back a phrase such as "the lower part" names, after character `after`, with its span."""
        words = [token.lower_ for token in doc]
        for index, token in enumerate(doc):
            if token.idx < after:
                continue
            for phrase, value in self._back_part_words:
                end = index + len(phrase)
                # "the lower part of my leg" names another part of the body
                if tuple(words[index:end]) == phrase and (end >= len(words) or words[end] != "of"):
                    last = doc[end - 1]
                    return value, token.idx, last.idx + len(last)
        return None

    def _back_part_before(self, doc: Doc, back: int) -> Optional[Tuple[str, int, int]]:
        """The part of the back said just before the generic word, in its clause ("low down on one side of my back",
        "the lower part of my back"), with its span."""
        words = [token.lower_ for token in doc]
        at = next((t.i for t in doc if t.idx >= back), len(doc))
        for index in range(max(0, at - 8), at):
            if any(w in _SENTENCE_ENDS or w == "," for w in words[index:at]):
                continue
            for phrase, value in self._back_part_words:
                end = index + len(phrase)
                if end <= at and tuple(words[index:end]) == phrase and all(w in _TO_THE_BACK for w in words[end:at]):
                    last = doc[end - 1]
                    return value, doc[index].idx, last.idx + len(last)
        return None

    def _reveals_self(self, doc: Doc) -> bool:
        """ "(it's me)", "I mean me": the writer says the someone they asked about is themselves."""
        return self._says(doc, "self_reveal")

    def _says(self, doc: Doc, cues: str) -> bool:
        """Whether the text holds one of the context's `cues` (a tuple-of-words field of the context)."""
        return self._cue_span(doc, cues) is not None

    def _cue_span(self, doc: Doc, cues: str, start: int = 0) -> Optional[Tuple[int, int]]:
        """The character span of the first of the context's `cues` (a tuple-of-words field) in the text from token
        `start` on, if any."""
        ctx = getattr(self, "_context", None)
        phrases = getattr(ctx, cues, ()) if ctx is not None else ()
        words = [token.lower_ for token in doc]
        for i in range(start, len(words)):
            for cue in phrases:
                if tuple(words[i:i + len(cue)]) == cue:
                    last = doc[i + len(cue) - 1]
                    return doc[i].idx, last.idx + len(last)
        return None

    def _idiom_spans(self, seen_as: Doc, doc: Doc) -> List[Tuple[int, int]]:
        """Character spans (in `doc`) of the figures of speech read in `seen_as` (the same tokens, perhaps other
        words: "his" read as "my") that name no body region."""
        ctx = getattr(self, "_context", None)
        if ctx is None or not ctx.region_idioms:
            return []
        words = [token.lower_ for token in seen_as]
        spans = [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
                 for _, start, end in self._idiom_matcher(seen_as)]
        for index in range(len(words)):
            for idiom in ctx.region_idioms:
                if tuple(words[index:index + len(idiom)]) == idiom:
                    last = doc[index + len(idiom) - 1]
                    spans.append((doc[index].idx, last.idx + len(last)))
        return spans

    def _quantities(self, text: str, about_other: bool) -> List[Mention]:
        """Ages, durations and ratings. About someone else, the age is theirs ("he's 84"), not the writer's."""
        ages = list(quantities.find_ages(text))
        if about_other:
            nouns = getattr(self, "_context", None)
            nouns = nouns.subject_nouns if nouns else ()
            ages = [(s, e) for s, e in ages if not quantities.is_writers_age(text[s:e])]
            ages += [(s, e) for s, e in quantities.find_subject_ages(text, nouns)
                     if not any(s < e2 and s2 < e for s2, e2 in ages)]
        mentions = [Mention("age", text[s:e], s, e, text[s:e], AFFIRMED) for s, e in ages]
        for entity, finder in (("duration", quantities.find_durations), ("severity", quantities.find_severities)):
            for start, end in finder(text):
                if any(s < end and start < e for s, e in ages):
                    continue  # "67 years old" is an age, not a duration
                words = text[start:end]
                mentions.append(Mention(entity, words, start, end, words, AFFIRMED))
        return mentions

    def affirmed(self, text: str, doc: Optional[Doc] = None, writer_in_pain: bool = False,
                 known: FrozenSet[str] = frozenset(),
                passing: FrozenSet[Tuple[str, str]] = frozenset()) -> List[Mention]:
        """Only the mentions that count: affirmed, about the person, not hypothetical (`extract` says what
        `writer_in_pain`, `known` and `passing` change)."""
        return [m for m in self.extract(text, doc, writer_in_pain, known, passing) if m.affirmed]

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
        return Doc(doc.vocab, words=self._as_writers(words),
                   spaces=[bool(token.whitespace_) for token in doc])


    #: What hurts: the mentions whose owner tells whose pain the message is about.
    _OWNED = frozenset({"body_region", "pain_quality", "red_flag", "muscle", "other_body_part", "severity"})

    def _subject(self, text: str, doc: Doc,
                 mentions: Sequence[Mention]) -> Optional[Tuple[int, int, Optional[int], str, bool]]:
        """None when the message is about the writer (or does not say); else the span that says it is about
        someone else, the token of the noun that names them ("dad" in "my dad is 84"), if any, who writes:
        `front_desk` (a caller, a patient, a clinical note) or `relative`, and whether the message says so in as many
        words ("asking for my dad", "I have a caller", "84M") rather than by whose signs they are ("my wife has a
        temperature")."""
        ctx = getattr(self, "_context", None)
        if ctx is None or not ctx.subject_nouns:
            return None
        words = [token.lower_ for token in doc]
        owners: Dict[str, int] = {}
        owning_nouns: List[int] = []
        conditions = [m for m in mentions if m.entity == "condition"]
        # Where what hurts is told (`owned`), and where the writer's own is (`told`: a mention nobody else owns).
        owned: List[int] = []
        told: List[int] = []
        for mention in mentions:
            if mention.entity not in self._OWNED or mention.status in (NEGATED, HYPOTHETICAL):
                continue
            token = next((t.i for t in doc if t.idx >= mention.start), len(doc))
            found = self._owner(words, token) or self._owner_within(doc, words, token, mention.end)
            owned.append(token)
            if found is None or found[0] == "self":
                told.append(token)
            # A region inside a history ("his spine surgery") says nothing about whose pain it is.
            if found is not None and not any(c.start < mention.end and mention.start < c.end for c in conditions):
                owner, at = found
                owners.setdefault(owner, at)
                if owner == "other" and words[at] in ctx.subject_nouns and at not in owning_nouns:
                    owning_nouns.append(at)
        if not owned:
            # Nothing named yet but a knot or pain: its owner is whose pain it is ("my husband has a painful knot"),
            # unless it is a figure of speech ("my boss is a real pain in the neck").
            idioms = self._idiom_spans(doc, doc)
            for index, complaint in enumerate(words):
                figurative = any(start <= doc[index].idx < end for start, end in idioms)
                found = self._owner(words, index) if complaint in ctx.complaint_words and not figurative else None
                if found is not None:
                    owners.setdefault(*found)
                    if found[0] == "self":
                        told.append(index)
        # "... and now I do too": whatever the relative has, the writer has it as well
        too = self._writer_too(words)
        if too is not None:
            owners.setdefault("self", too)
        said = self._said_by_cue(doc, words, owners, owned, min(told, default=None))
        # A front desk relays its caller ("caller says her son has a fever": the son is the patient); anyone else's
        # "she ... her dad" names her relative, whose signs are not hers.
        # "34F, neck pain. Her mother has RA": after a clinical frame (a front desk cue that relays no one, or an age
        # and sex), "her mother" is the patient's relative
        relay, framed = False, None
        if said is not None:
            cue = doc.char_span(said[0], said[1], alignment_mode="expand")
            relay = said[2] == "front_desk" and any(token.lower_ in ctx.relay_words for token in cue)
            framed = cue.start if said[2] == "front_desk" and not relay else None
        else:
            first = next(iter(quantities.find_frames(text)), None)
            framed = doc.char_span(*first, alignment_mode="expand").start if first is not None else None
        noun = self._subject_noun(words, owning_nouns, pronouns="other" in owners and words[owners["other"]]
                                  in ctx.subject_pronouns or any(w in ctx.subject_pronouns for w in words),
                                  relay=relay, framed=framed)
        if said is not None:
            return said[0], said[1], noun, said[2], True
        # "My brother (30) got jumped ...", "One of my pupils (12) fell ...", "my 22-year-old got flattened": a person
        # given their age, or one of the writer's people, is who the message is about, unless the writer names a part
        # of their own body; said in passing in a conversation about the writer's own pain, they stay in passing.
        aged = self._aged_person(doc, words) or self._one_of_theirs(doc, words, mentions)
        if aged is not None and not any(self._writers_own(doc, words, m, aged[2]) for m in mentions):
            return aged[0], aged[1], noun, "relative", False
        for start, end in quantities.find_frames(text):
            # "36M, lower back knot ... when i cough": the writer describing themselves the clinical way, in first
            # person, with nobody else ("he", "she") in it and no clinical shorthand beside the frame.
            if not self._writer_speaks_of_self(words, owners):
                return start, end, noun, "front_desk", True
        if not any(w in ctx.self_words for w in words):
            # A clinical note ("G2P1 at 30/40, 2/7 LBP, febrile"): someone's patient, written by staff.
            for word in doc:
                if word.lower_ in ctx.clinical_markers or any(p.match(word.lower_)
                                                              for p in ctx.clinical_marker_patterns):
                    return word.idx, word.idx + len(word), noun, "front_desk", True
        if not self._writer_present(words):
            # Nobody but "he" or "she" in it, the writer at most wondering ("only tenderness along the neck. She must
            # be coming down with something but I don't know what"): it is about them.
            if owners or any(m.entity in self._OWNED for m in mentions):
                for word in doc:
                    if word.lower_ in ctx.subject_pronouns:
                        return word.idx, word.idx + len(word), noun, "relative", False
        if "other" in owners and "self" not in owners:
            token = owners["other"]
            return doc[token].idx, doc[token].idx + len(doc[token]), noun, "relative", False
        # "My mother was just diagnosed with breast cancer. She is 84 ...": nobody in it but the writer's relative
        # and their pronouns ("my" only ever names them), so it is about them, pain or not.
        if noun is not None and self._only_about(words, noun):
            return doc[noun].idx, doc[noun].idx + len(doc[noun]), noun, "relative", False
        return None

    def _aged_person(self, doc: Doc, words: Sequence[str]) -> Optional[Tuple[int, int, int]]:
        """The span (and the token of "my") of a person named with their age: "my brother (30)", "one of our members
        (31)", "my sister, 40,", "my 22-year-old", "our 14yo"; None without one. The writer's own age ("I (35F)",
        "me, 40,") is not it, nor a person the writer carries or lifts ("carrying my son (2)")."""
        ctx = self._context
        end = len(words)
        for index in range(end):
            if words[index] not in ("my", "our"):
                continue
            if index and words[index - 1] in ctx.handled_words or self._handled(words, index + 1):
                continue
            # "my 22-year-old", "my 14yo", "our 15 year old": the age stands for the person
            if index + 1 < end and _AGE_WORD.match(words[index + 1]) and (
                    words[index + 1][-2:] in ("yo", "yr") or words[index + 2:index + 3] in (["yo"], ["yr"], ["yrs"])
                    or words[index + 2:index + 4] in (["year", "old"], ["yr", "old"], ["-", "year"], ["y", "/"])):
                return doc[index].idx, doc[index + 1].idx + len(doc[index + 1]), index
            # "my brother (30)", "one of my pupils (12)", "my sister, 40,", "our eldest is 22": a person, then the age
            one_of = index >= 2 and words[index - 1] == "of" and words[index - 2] in _ONE_OF
            for at in range(index + 2, min(index + 6, end)):
                if words[at - 1] in _FIRST_PERSON or not words[at - 1].isalnum():
                    break
                if not (words[at - 1] in ctx.subject_nouns or (one_of and words[at - 1].endswith("s"))):
                    continue
                bracket = words[at] == "(" and at + 2 < len(words) and words[at + 2] == ")"
                comma = words[at] == "," and at + 2 < len(words) and words[at + 2] in (",", ")")
                told = words[at] in ("is", "'s", "was", "aged") and at + 2 <= len(words) and (
                    at + 2 == len(words) or words[at + 2] in _AGE_ENDS)
                if (bracket or comma or told) and _AGE_WORD.match(words[at + 1]):
                    return doc[index].idx, doc[at + 1].idx + len(doc[at + 1]), index
            # "my sun 15 fell of his skatebored": a word no pattern knows, given a bare age and then spoken of as "he"
            # or "she", is a person (a relative's word slipped into another English word)
            if index + 3 < end and words[index + 1].isalpha() and not self._speller.knows(words[index + 1]) \
                    and _AGE_WORD.match(words[index + 2]) and words[index + 3] not in _NOT_AN_AGE_AFTER \
                    and any(w in ctx.subject_pronouns for w in words[index + 3:]):
                return doc[index].idx, doc[index + 2].idx + len(doc[index + 2]), index
        return None

    def _one_of_theirs(self, doc: Doc, words: Sequence[str], mentions: Sequence[Mention]
                       ) -> Optional[Tuple[int, int, int]]:
        """The span (and the token of "my") of "one of my hurdlers has ...", "one of our carers says ...": one of the
        writer's people, named by a plural noun that is no part of the body or thing, doing or having something."""
        body = [(m.start, m.end) for m in mentions if m.entity in BODY_ENTITIES]
        for index in range(2, len(words) - 2):
            if words[index] not in ("my", "our") or words[index - 1] != "of" or words[index - 2] not in _ONE_OF:
                continue
            for at in range(index + 2, min(index + 6, len(words))):
                noun = doc[at - 1]
                if not words[at - 1].isalnum() or any(s <= noun.idx < e for s, e in body):
                    break
                if words[at - 1].endswith("s") and words[at - 1] not in _NOT_PEOPLE and words[at] in _THEY_DO:
                    return doc[index - 2].idx, noun.idx + len(noun), index
        return None

    def _writers_own(self, doc: Doc, words: Sequence[str], mention: Mention, aged: int) -> bool:
        """Whether `mention` is a part of the writer's own body ("my back" in "my back hurts, my son (4) jumped on me"),
        not read through the "my" that names the aged person at token `aged` ("my 14yo has a stiff neck")."""
        if mention.entity not in ("body_region", "muscle") or mention.status in (NEGATED, HYPOTHETICAL):
            return False
        found = self._owner(words, next((t.i for t in doc if t.idx >= mention.start), len(doc)))
        return found is not None and found[0] == "self" and found[1] != aged

    def _writer_too(self, words: Sequence[str]) -> Optional[int]:
        """Where the writer says they have it as well ("now I do too.", the cue ending its clause: "what can I do to
        help" is not one), or has their own ("mine's day 3")."""
        for index in range(len(words)):
            for cue in self._context.writer_too:
                end = index + len(cue)
                if tuple(words[index:end]) == cue and (end >= len(words) or words[end] in _CLAUSE_ENDS):
                    return index
            # "hers went after a week, mine's day 3": the writer's own, wherever the clause goes on ("a friend of
            # mine has" names the friend)
            if (index == 0 or words[index - 1] != "of") and \
                    any(tuple(words[index:index + len(cue)]) == cue for cue in self._context.writer_mine):
                return index
        return None

    def _said_by_cue(self, doc: Doc, words: Sequence[str], owners: Dict[str, int], owned: Sequence[int] = (),
                     pain_told: Optional[int] = None) -> Optional[Tuple[int, int, str]]:
        """The span of a cue saying the message is for someone else ("I have a caller", "asking for my dad") and
        who writes; None without one. `owned`: the tokens where what hurts is told; `pain_told`: the token where
        the writer's own pain is first told, if any."""
        # "I had injections in my feet. The physician said ...": after the writer has said what hurts is their own
        # ("my feet"), and nothing is anyone else's, a front-desk phrase names someone in their story ("Message from
        # a client: 'my neck ...'" opens with the frame, so it stays).
        ctx = self._context
        mine = "self" in owners and "other" not in owners and words[owners["self"]] in ("my", "mine")
        for cues, writer in ((self._front_desk_cues, "front_desk"), (self._relative_cues, "relative")):
            for index, word in enumerate(words):
                if mine and writer == "front_desk" and index > owners["self"]:
                    break
                # Only the cues that start with this word (there are ~2,000, most from `proxy_templates`).
                starting = cues.get(word, ())
                if not starting or self._cue_denied(words, index) or (
                        word in ctx.subject_determiners and self._handled(words, index + 1)) or (
                        writer == "relative" and pain_told is not None and pain_told < index
                        and self._cared_for(words, index)):
                    continue
                for cue in starting:
                    end = self._cue_end(words, index, cue)
                    # "carrying cement for my brother's building", "a patient's bed rolled into me": the cue names the
                    # person's thing, not the person ("for my brother's back" is his pain).
                    if end is not None and self._names_their_thing(words, end, writer, owned):
                        continue
                    # "is it OK for my husband to massage my lower back?": the person named does something for the
                    # writer, whose pain it is
                    if end is not None and writer == "relative" and end + 1 < len(words) and words[end] == "to" \
                            and words[end - 1] in ctx.subject_nouns and words[end + 1].isalpha():
                        continue
                    # "I'm a patient at your clinic" is the writer; "I'm writing about my husband" is not.
                    if end is not None and (writer == "relative" or not self._self_before(words, index)):
                        return doc[index].idx, doc[end - 1].idx + len(doc[end - 1]), writer
        return None

    def _names_their_thing(self, words: Sequence[str], end: int, writer: str, owned: Sequence[int]) -> bool:
        """Whether the cue ending at token `end` is a possessive of a thing that is not what hurts ("my brother's
        building", "a patient's bed"): the "'s" after the cue's person, or, for a front desk, ending the cue."""
        if end < len(words) and words[end] in ("'s", "’s") and (words[end - 1] in self._context.subject_nouns
                                                              or writer == "front_desk"):
            thing = end + 1
        elif writer == "front_desk" and words[end - 1] in ("'s", "’s"):
            thing = end
        else:
            return False
        return thing < len(words) and words[thing].isalpha() and thing not in owned

    def _handled(self, words: Sequence[str], noun: int) -> bool:
        """ "lifting my son", "my late husband": the person word at `noun` is handled by the writer, or deceased."""
        ctx = self._context
        if not 0 < noun < len(words) or words[noun] not in ctx.subject_nouns:
            return False
        before = words[noun - 1]
        return before in ctx.handled_words or (noun >= 2 and before in ctx.subject_determiners
                                               and words[noun - 2] in ctx.handled_words)

    def _cared_for(self, words: Sequence[str], index: int) -> bool:
        """ "helping my dad", "caring for my husband who": the cue at `index` starts with, or follows, a carer word."""
        return any(tuple(words[index:index + len(cue)]) == cue or self._ends_with(words[:index], cue)
                   for cue in self._context.carer_words)

    def _cue_denied(self, words: Sequence[str], index: int) -> bool:
        """ "I am not writing for anybody": a negation just before the cue."""
        return any(w in self._context.cue_denied_by for w in words[max(0, index - 2):index])

    def _cue_end(self, words: Sequence[str], index: int, cue: Tuple[str, ...]) -> Optional[int]:
        """Where `cue` ends when it starts at `index`; a determiner and its noun may have a hyphenated modifier
        between them ("this chronic-back-pain patient", "a 45-year-old patient")."""
        if tuple(words[index:index + len(cue)]) == cue:
            return index + len(cue)
        if len(cue) != 2 or cue[0] not in self._context.subject_determiners or words[index] != cue[0]:
            return None
        after = index + 1
        while after + 1 < len(words) and (words[after] == "-" or words[after + 1] == "-" or words[after - 1] == "-"):
            after += 1
        return after + 1 if after > index + 1 and after < len(words) and words[after] == cue[1] else None

    def _only_about(self, words: Sequence[str], noun: int) -> bool:
        """The writer is not in the story (see `_writer_present`), and the relative is spoken of again after the
        noun: by their pronouns or by the noun itself ("my dad had ... dad isn't convinced")."""
        if self._writer_present(words):
            return False
        return any(w in self._context.subject_pronouns or w == words[noun] for w in words[noun + 1:])

    def _writer_speaks_of_self(self, words: Sequence[str], owners: Dict[str, int]) -> bool:
        """True when the writer says "I" about the pain and nobody else is in the message."""
        ctx = self._context
        if any(w in ctx.subject_pronouns for w in words):
            return False  # "41-year-old man with a lump in his neck. I think it's a spasm": the clinician's "I"
        return "self" in owners or (any(w in _FIRST_PERSON for w in words)
                                    and not any(w in ctx.clinical_markers for w in words) and "other" not in owners)

    def _their_relative(self, words: Sequence[str], noun: int, framed: Optional[int] = None) -> bool:
        """ "she's worried since her dad had a heart attack": the noun at `noun` is named as the relative of someone
        already spoken of as "she" or "he" ("her dad", "his mum"), or framed before it (token `framed`: "34F")."""
        ctx = self._context
        return noun >= 1 and words[noun - 1] in ctx.their_determiners and (
            any(w in ctx.third_person_subjects for w in words[:noun - 1]) or (framed is not None and framed < noun - 1))

    def _subject_noun(self, words: Sequence[str], owning: Sequence[int], pronouns: bool,
                      relay: bool = False, framed: Optional[int] = None) -> Optional[int]:
        """The noun that names the person the message is about: the writer's relative or the person in front of
        them who has the pain ("my dad has ..."), else the one the pronouns stand for ("my dad is 84. he ..."),
        else someone of theirs who has it ("a caller whose husband has a stiff neck"), else the first named.
        Outside a front desk's relay, "her dad" after "she" is her relative, never the one meant."""
        ctx = self._context
        if not relay:
            owning = [i for i in owning if not self._their_relative(words, i, framed)]
        named = [i for i, w in enumerate(words)
                 if w in ctx.subject_nouns and i and words[i - 1] in ctx.subject_determiners
                 and (relay or not self._their_relative(words, i, framed))]
        for index in owning:
            if index in named:
                return index
        if pronouns and named:
            return named[0]
        if owning:
            return owning[0]
        return named[0] if named else None

    def _self_before(self, words: Sequence[str], index: int) -> bool:
        """ "I'm a patient": the writer speaking of themselves in a frame cue."""
        head = list(words[max(0, index - 3):index])
        while head and head[-1] in ("a", "an", "the"):
            head.pop()
        return any(self._ends_with(head, cue) for cue in self._context.self_before_frame)

    def _owner_within(self, doc: Doc, words: Sequence[str], start: int, end_char: int) -> Optional[Tuple[str, int]]:
        """The writer, when their own word stands inside the mention ("the middle of my back"), with no one named
        before it."""
        inside = [t.i for t in doc[start:] if t.idx < end_char]
        return next((("self", i) for i in inside if words[i] in self._context.self_words), None)

    def _other_within(self, doc: Doc, words: Sequence[str], start: int, end_char: int) -> Optional[Tuple[str, int]]:
        """Someone else, when their word stands inside the mention and the writer's does not ("the light hurts her
        eyes")."""
        inside = [t.i for t in doc[start:] if t.idx < end_char]
        if any(words[i] in self._context.self_words for i in inside):
            return None
        return next((("other", i) for i in inside if words[i] in self._context.subject_pronouns), None)

    def _owner(self, words: Sequence[str], start: int) -> Optional[Tuple[str, int]]:
        """Whose a mention is, from the nearest person word before it in its sentence: ("self" or "other", where)."""
        ctx = self._context
        # Within the sentence, across "just" or "but" ("... and he just fainted"): any clause's person will do.
        skip_to = start
        for index in range(start - 1, max(-1, start - 13), -1):
            if index >= skip_to:
                continue
            word = words[index]
            if word in _SENTENCE_ENDS:
                return None
            is_person = word in ctx.subject_pronouns or word in ctx.subject_nouns
            # "my mate says it's text neck": the speaker owns nothing of what they say; "lifting a sofa with my
            # brother, lower back on the left": company owns nothing either. Skip the person and "my" before them.
            company = (word in ctx.subject_nouns and index >= 2 and words[index - 1] in ctx.subject_determiners
                       and words[index - 2] in ctx.company_words) or self._handled(words, index)
            if is_person and (self._only_tells(words, index) or company):
                skip_to = index - 1 if index and words[index - 1] in ctx.subject_determiners else index
                continue
            # "a friend of mine has a tight trap": "mine" there is the friend
            if word == "mine" and index >= 2 and words[index - 1] == "of" and words[index - 2] in ctx.subject_nouns:
                return "other", index - 2
            # "a cleaner on my team has an aching back": "my" names the writer's group, not what hurts
            if word == "my" and index + 1 < len(words) and words[index + 1] in ctx.group_words:
                continue
            if word in ctx.self_words:
                # "what massage can I do for the shoulder?": the writer doing something for someone owns nothing of it
                if self._acts_for(words, index, start):
                    continue
                # "I thought that this kind of vision loss ...": the writer wondering owns nothing of what they say
                return None if self._only_speaks(words, index) else ("self", index)
            if is_person:
                return "other", index
        return None

    def _acts_for(self, words: Sequence[str], index: int, start: int) -> bool:
        """ "what can I do for the shoulder", "should I use on the knot": the writer at `index` does something
        (context's `acts_on` verbs) for or on what is named at `start`, with "the" (not "my") before it."""
        between = list(words[index + 1:start])
        acts = any(w in self._context.acts_on for w in between[:3]) and any(w in ("for", "on", "to") for w in between)
        return words[index] == "i" and 2 <= len(between) <= 5 and acts and between[-1] in ("the", "that", "this")

    def _only_tells(self, words: Sequence[str], index: int) -> bool:
        """ "my mate says", "my grandmother always said": the person at `index` only speaks of what follows."""
        after = index + 1
        while after < len(words) and words[after] in self._context.speech_verbs_skipping:
            after += 1
        return after < len(words) and words[after] in self._context.speech_verbs

    def _only_speaks(self, words: Sequence[str], index: int) -> bool:
        """ "I think", "I don't know", "I'm worried", "help me": the first-person word at `index` is the writer
        speaking, wondering or asking, not having something."""
        ctx = self._context
        if words[index] == "me":
            return index > 0 and words[index - 1] in ctx.writer_asks_before_me
        if words[index] in ("my", "mine", "myself"):
            return False
        after = index + 1
        while after < len(words) and (words[after] in ctx.writer_speaks_skipping or not words[after].strip()):
            after += 1
        return any(tuple(words[after:after + len(cue)]) == cue for cue in ctx.writer_speaks)

    def _writer_present(self, words: Sequence[str]) -> bool:
        """True when the writer is a person in what they tell: a first-person word that is not "my" naming someone
        ("my husband"), nor the writer only speaking ("I don't know what she has") or asking ("tell me")."""
        ctx = self._context
        return any(w in ctx.self_words and not self._only_speaks(words, i)
                   and not (w in ("my", "our") and i + 1 < len(words) and words[i + 1] in ctx.subject_nouns)
                   for i, w in enumerate(words))

    def _as_subject(self, doc: Doc, noun: Optional[int]) -> Doc:
        """The message about someone else as if they wrote it: their pronouns and the noun naming them as
        "i", "my", "me" (other people named in it keep their words, so "his mum had cancer" stays hers)."""
        words = self._as_writers([token.lower_ for token in doc])
        if noun is not None:
            words[noun] = "i"
        return Doc(doc.vocab, words=words, spaces=[bool(token.whitespace_) for token in doc])

    def _as_writers(self, words: Sequence[str]) -> List[str]:
        """The words with someone else's pronouns as the writer's own: "his" as "my", "he" as "i"; "her" as "me" where
        it is the object ("it wakes her up"), else as "my" ("her neck")."""
        ctx = self._context
        following = list(words[1:]) + [""]
        return ["me" if w == "her" and (after in ctx.her_as_object_before or after == "") else ctx.proxy_words.get(w, w)
                for w, after in zip(words, following, strict=True)]

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
            # "- no fever, no weight loss\n- numb patch around the back passage": a new line of a note or a list
            # starts afresh, unless the line before opened it ("Denies:\n- fever\n- weight loss")
            if "\n" in word:
                if index and words[index - 1] in (":", "-", "–"):
                    continue
                break
            # "no numbness and my legs feel weak", "not a customer - my shoulders": a new subject starts a clause
            if word in ("and", ",", "-", "–", "—") and clause and clause[0] in ctx.and_new_subject:
                break
            clause.insert(0, word)
        return clause

    def _after(self, words: Sequence[str], end: int, entity: str = "") -> Optional[str]:
        """A cue straight after the mention: NEGATED for "fever? no", OTHER_PERSON for "... runs in my family"."""
        ctx = self._context
        rest = list(words[end:end + 8])
        if any(tuple(rest[:len(cue)]) == cue for cue in ctx.other_person_after):
            return OTHER_PERSON
        if entity in BODY_ENTITIES and any(tuple(rest[:len(cue)]) == cue for cue in ctx.denied_after):
            return NEGATED
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

    def _explained(self, code: str, words: Sequence[str], end: int) -> bool:
        """A sign explained away later in its sentence: weight lost "on a diet", night pain that "eases when I
        change position" (which the contract's night pain is not). Not when the explanation is denied ("not on a
        diet")."""
        cues = self._context.explained_after.get(code, ())
        if not cues:
            return False
        rest = _rest_of_sentence(words, end, 16)
        for i in range(len(rest)):
            if any(tuple(rest[i:i + len(cue)]) == cue for cue in cues):
                denied = self._context.cue_denied_by | self._context.explanation_denied_by
                return not any(w in denied for w in rest[max(0, i - 3):i])
        return False

    def _over_and_done(self, code: str, words: Sequence[str], end: int, clause: Sequence[str]) -> bool:
        """A red flag told as over ("had a fever last week, gone now", "used to get pins and needles", "a car crash
        years ago"). A resolution cue counts only after a separator ("," "but" "that"), so that words describing
        the sign itself ("the feeling went away") are never read as its end, unless it is one said in the past
        tense that can only mean it ended ("the sciatica settled completely"); and not when undone after it ("went
        away but came back"). Only for the codes listed: losing control or feeling is never read as over."""
        ctx = self._context
        if code not in ctx.past_codes and code not in ctx.past_event_codes:
            return False
        rest = _rest_of_sentence(words, end, 12)

        def found(cues: Tuple[Tuple[str, ...], ...], within: Sequence[str]) -> Optional[int]:
            return next((i + len(c) for i in range(len(within)) for c in cues
                         if tuple(within[i:i + len(c)]) == c), None)

        if code in ctx.past_event_codes and found(ctx.past_event_after, rest[:6]) is not None:
            return True
        if code in ctx.past_codes:
            directly = next((len(cue) for cue in ctx.past_after_directly if tuple(rest[:len(cue)]) == cue), None)
            if directly is not None and found(ctx.past_undone, rest[directly:]) is None:
                return True
            separated = next((i for i, w in enumerate(rest) if w in ctx.past_separators), None)
            if separated is not None:
                after = found(ctx.past_after, rest[separated:])
                if after is not None and found(ctx.past_undone, rest[separated + after:]) is None:
                    return True
            # "two years ago I had pins and needles": a few words back, with nothing since that brings it to now
            near = list(clause[-PAST_BEFORE_REACH:])
            if any(self._ends_with(near[: i + 1], cue) and found(ctx.past_undone, near[i + 1:]) is None
                   for i in range(len(near)) for cue in ctx.past_before):
                return True
        return False

    def _under_family_history(self, words: Sequence[str], start: int) -> bool:
        """ "FHx: mother - polymyalgia rheumatica (dx at 68); father - MI at 70": the mention at `start` is in a
        family-history heading's sentence, so it is the family's (a new sentence or line ends the heading)."""
        ctx = self._context
        for index in range(start - 1, -1, -1):
            if "\n" in words[index] or words[index] in (".", "!", "?"):
                return False
            if words[index] in (":", "-", "–") and any(self._ends_with(words[:index], heading)
                                                      for heading in ctx.family_history_headings):
                return True
        return False

    def _status(self, words: Sequence[str], start: int, entity: str, end: Optional[int] = None,
                value: str = "") -> str:
        ctx = getattr(self, "_context", None)
        if ctx is None:
            return AFFIRMED
        after = self._after(words, end, entity) if end is not None else None
        if after == OTHER_PERSON and entity in PERSONAL_ENTITIES:
            return OTHER_PERSON
        if entity in PERSONAL_ENTITIES and self._under_family_history(words, start):
            return OTHER_PERSON
        if after == NEGATED:
            return NEGATED
        clause = self._clause_before(words, start)
        if entity == "red_flag" and end is not None and self._over_and_done(value, words, end, clause):
            return PAST
        if entity == "red_flag" and end is not None and self._explained(value, words, end):
            return NEGATED
        # Hypothetical: a cue anywhere earlier in the clause ("what if it starts tingling?"). Not for a body part:
        # "what would cause shoulder aching?" still says where.
        for position in range(len(clause) if entity not in BODY_ENTITIES else 0):
            head = clause[: position + 1]
            if any(self._ends_with(head, cue) for cue in ctx.hypothetical):
                return HYPOTHETICAL
            if clause[position] == "if" and any(w in ctx.if_followed_by for w in clause[position + 1: position + 4]):
                return HYPOTHETICAL
        # Someone else: their cue, with no "I/me/my" between it and the mention, nor in it ("my partner noticed a
        # bump on my spine").
        mine = end is not None and any(w in ctx.self_words for w in words[start:end])
        if entity in PERSONAL_ENTITIES and not mine:
            for position in range(len(clause) - 1, -1, -1):
                word = clause[position]
                if word in ctx.self_words:
                    break
                if any(self._ends_with(clause[: position + 1], cue) for cue in ctx.other_person):
                    return OTHER_PERSON
        # Negation: a cue within the window just before the mention, or a long-reaching one anywhere in the clause
        # ("denies dysuria, fever, night sweats or weight loss").
        for position in range(len(clause)):
            if any(self._ends_with(clause[: position + 1], cue) for cue in ctx.negation_long):
                return NEGATED
        # "no dizziness/diplopia/dysarthria/dysphagia": the slashes of a list are not words between cue and sign
        listed = [word for word in clause if word != "/"]
        window = listed[-ctx.negation_window:] if ctx.negation_window else []
        for position in range(len(window)):
            cue = next((c for c in ctx.negation if self._ends_with(window[: position + 1], c)), None)
            if cue is None:
                continue
            following = window[position + 1:]
            # "I can't turn my neck": the cue denies the moving, not the body part moved.
            if entity in BODY_ENTITIES and any(word in ctx.negation_stopped_by for word in following):
                continue
            # "can't turn it without a sharp pain": "without" after a "can't" affirms the pain.
            before = listed[:len(listed) - len(window) + position]
            if cue == ("without",) and any(w in ("n't", "nt", "not", "cannot") for w in before):
                continue
            # "a not between my shoulder blades", "tight not": "knot" mistyped or misheard, not a negation
            if cue == ("not",) and window[:position][-1:] and window[position - 1] in ctx.not_a_knot_after:
                continue
            return NEGATED
        # "I don't have a fever or any weight loss": the cue reaches the later items of a list joined by "or".
        coordinated = ctx.negation_coordinated_window if entity not in BODY_ENTITIES else 0
        reach = clause[-coordinated:] if coordinated else []
        for position in range(max(0, len(reach) - len(window))):
            if any(self._ends_with(reach[: position + 1], c) for c in ctx.negation) \
                    and any(w in ctx.negation_coordinators for w in reach[position + 1:]):
                return NEGATED
        return AFFIRMED


@functools.lru_cache(maxsize=4)
def default_extractor(pattern_dir: Optional[str] = None) -> FactExtractor:
    """One shared extractor per pattern folder (building the matchers takes a moment)."""
    return FactExtractor(pattern_dir)

