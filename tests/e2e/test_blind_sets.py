"""The blind sets written from the contract and the clinical facts alone, as CI gates on the running stack.

- tests/triage/vignettes_published.yml: 90 whole conversations in the style of published cases, clinical notes
  and relatives' accounts;
- tests/nlu/blind_openers/messages.yml: 300 first messages as people type them, labelled for region, whose
  pain it is, the red flags they affirm and the least level they demand;
- tests/nlu/blind_posts/messages.yml: 200 first messages as people write on forums and contact forms (longer,
  with background and other people in them), labelled the same way;
- tests/nlu/blind_texts/messages.yml: 200 first messages as people type in chat apps (short, lowercase, typos,
  slang, abbreviations, emoji; relatives, carers and front desks in shorthand), labelled the same way;
- tests/nlu/blind_voices/messages.yml: 160 first messages in second-language and regional Englishes, formal
  letters from older people, dictation, long pasted notes and care records, labelled the same way;
- tests/nlu/blind_roles/messages.yml: 170 first messages from front desks, clinicians (in clinical words and
  abbreviations), young and distressed writers, people who correct themselves, and tricky questions, labelled the
  same way;
- tests/nlu/blind_screen_answers/answers.yml: 210 answers typed to the red-flag screen's yes/no questions instead
  of pressing a button, labelled for what they mean and the red flags they name;
- tests/triage/late_flags_blind.yml: 150 messages typed late in a conversation (in answer to an intake question,
  to the plan's questions, in step-by-step mode, at the check-in days later), serious or benign, with the level
  they must lead to;
- tests/triage/vignettes_subject_blind.yml: 100 whole conversations in which whose pain it is must be followed
  (someone mentioned in passing, a proxy revealed later, the writer owning up, the next caller at a front desk);
- tests/triage/vignettes_messy_blind.yml: 90 messy conversations (long pasted letters and diaries, a covered and an
  uncovered part, changes of mind mid-form, look-alikes told by others, clinical notes, typos and voice typing);
- tests/nlu/blind_asks/messages.yml: 200 first messages where a region, a red flag or the person is easy to misread
  (general questions, professionals asking about clients, pets, things and idioms, people in passing);
- tests/triage/vignettes_checker_blind.yml: 80 conversations in the style of the standardised vignettes used to
  evaluate symptom checkers (lay and terse case presentations, relatives, carers, front desks, clinicians);
- tests/nlu/blind_settings/messages.yml: 160 first messages from care, school, work and family settings (carers,
  support workers, coaches, first aiders, interpreters, unusual kin words), and the same people about their own
  pain;
- tests/triage/vignettes_injury_blind.yml: 70 conversations about pain that began with an injury or something that
  sounds like one (serious accidents told every way, falls from standing, tackles, shoulder joint injuries, injuries
  with nerve signs, old or someone else's injuries, and "fell asleep"), in lay, proxy and clinical words;
- tests/nlu/blind_injuries/messages.yml: 160 first messages, 50 about injuries, 50 near misses with accident words
  in them ("thrown my back out", "car crash of a week", "6 foot 2") and 60 ordinary ones, labelled the same way;
- tests/nlu/blind_facts/messages.yml: 300 first messages and answers to the intake's four questions (where, what it
  feels like, how long, how bad), labelled with the facts they state, tricky numbers included ("I'm 45", "10 hours
  a day at a desk", "7 months pregnant").
- tests/triage/vignettes_turns_blind.yml: 90 conversations that change course (a writer turning to someone they
  mentioned in passing, a subject taken back, numbers and signs of another time, a general question then their own
  answer, a sign told last, a part we don't cover beside one we do, two callers at a front desk, a clinician's case
  over several messages, corrections).
- tests/nlu/blind_plain/messages.yml: 160 first messages in plain, unusual or imperfect English (learners of
  English, heavy and phonetic misspellings, older writers' letters and euphemisms, teenagers' slang), labelled like
  the openers;
- tests/triage/vignettes_documents_blind.yml: 80 conversations that open with a clinical document pasted in (exam
  question stems, referral and discharge letters, handover and call notes, medication-led histories, a patient's
  or relative's own records), with pertinent negatives and a sign buried in the middle.

Their first run, before any fix, is in docs/measurements.md. Here each serious case is its own test, so CI names
any dangerous miss; the other figures are held on every third of the other cases (`held_in_tests`), and
benchmarks/ measure each set whole.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

import pytest

from harness import facts
from harness.late_flags import LateOutcome, load_cases, run_all
from harness.real_phrases import Reading, RealMessage, figures, load_messages, read_all
from harness.screen_answers import AnswerReading, load_answers, summary
from harness.screen_answers import read_all as read_all_answers
from harness.vignettes import SERIOUS, Assistant, Outcome, hold_all, load_vignettes
from tests.e2e.conftest import ROOT, Servers, assert_exact_and_subject, assert_held_safely, held_in_tests

pytestmark = pytest.mark.e2e

PUBLISHED = load_vignettes(ROOT / "tests" / "triage" / "vignettes_published.yml")
OPENERS = load_messages(ROOT / "tests" / "nlu" / "blind_openers" / "messages.yml")
POSTS = load_messages(ROOT / "tests" / "nlu" / "blind_posts" / "messages.yml")
TEXTS = load_messages(ROOT / "tests" / "nlu" / "blind_texts" / "messages.yml")
VOICES = load_messages(ROOT / "tests" / "nlu" / "blind_voices" / "messages.yml")
ROLES = load_messages(ROOT / "tests" / "nlu" / "blind_roles" / "messages.yml")
SCREEN_ANSWERS = load_answers(ROOT / "tests" / "nlu" / "blind_screen_answers" / "answers.yml")
LATE = load_cases(ROOT / "tests" / "triage" / "late_flags_blind.yml")
SUBJECT_CONVERSATIONS = load_vignettes(ROOT / "tests" / "triage" / "vignettes_subject_blind.yml")
MESSY = load_vignettes(ROOT / "tests" / "triage" / "vignettes_messy_blind.yml")
ASKS = load_messages(ROOT / "tests" / "nlu" / "blind_asks" / "messages.yml")
CHECKER = load_vignettes(ROOT / "tests" / "triage" / "vignettes_checker_blind.yml")
SETTINGS = load_messages(ROOT / "tests" / "nlu" / "blind_settings" / "messages.yml")
INJURIES = load_vignettes(ROOT / "tests" / "triage" / "vignettes_injury_blind.yml")
INJURY_MESSAGES = load_messages(ROOT / "tests" / "nlu" / "blind_injuries" / "messages.yml")
TURNS = load_vignettes(ROOT / "tests" / "triage" / "vignettes_turns_blind.yml")
PLAIN = load_messages(ROOT / "tests" / "nlu" / "blind_plain" / "messages.yml")
DOCUMENTS = load_vignettes(ROOT / "tests" / "triage" / "vignettes_documents_blind.yml")
FACT_CASES = facts.load_cases(ROOT / "tests" / "nlu" / "blind_facts" / "messages.yml")
#: The late messages each held one by one: every one that must send the person to a clinician or further.
LATE_HELD = SERIOUS + ("see_clinician",)


def _serious(vignette: Any) -> bool:
    """A conversation each run holds one by one (emergency or urgent)."""
    return vignette.gold in SERIOUS


@pytest.fixture(scope="module")
def outcomes(servers: Servers) -> Dict[str, Outcome]:
    """Every serious published-style vignette and a third of the others held once against the running stack, four
    at a time."""
    return hold_all(Assistant(servers.rasa_url, servers.token), held_in_tests(PUBLISHED, _serious), prefix="pv")


def _reads(name: str, messages: Sequence[RealMessage], what: str) -> Any:
    """A module fixture `name`: the set's messages the tests hold, each sent as the first message of a conversation
    of its own."""
    @pytest.fixture(scope="module", name=name)
    def fixture(servers: Servers) -> List[Reading]:
        return read_all(Assistant(servers.rasa_url, servers.token),
                        held_in_tests(messages, lambda message: message.level in SERIOUS))

    fixture.__doc__ = f"Every serious {what} and a third of the others, each the first message of a conversation."
    return fixture


readings = _reads("readings", OPENERS, "opener")
post_readings = _reads("post_readings", POSTS, "forum-style post")
text_readings = _reads("text_readings", TEXTS, "chat-app message")
voice_readings = _reads("voice_readings", VOICES, "world-English, letter, dictation and long-note message")
role_readings = _reads("role_readings", ROLES, "front-desk, clinician, young, distressed or tricky message")
ask_readings = _reads("ask_readings", ASKS, "general question, pet, thing or message easy to misread")
settings_readings = _reads("settings_readings", SETTINGS, "message from a care, school, work or family setting")
injury_readings = _reads("injury_readings", INJURY_MESSAGES, "message about an injury, or with accident words in it")
plain_readings = _reads("plain_readings", PLAIN, "message in plain, unusual or misspelt English")


@pytest.mark.parametrize("vignette_id", [v.id for v in PUBLISHED if v.gold in SERIOUS])
def test_no_serious_published_vignette_is_a_dangerous_miss_or_under_triaged(outcomes, vignette_id: str) -> None:
    assert_held_safely(outcomes[vignette_id])


def test_published_vignettes_exact_level_and_subject(outcomes) -> None:
    assert_exact_and_subject(outcomes)


#: Sets held where they were measured, below the targets (docs/measurements.md says why): the least region recall
#: and subject rate, the most false regions, and how many flagged messages may have no flag read (None: any), on
#: the messages the tests hold (every serious one and a third of the others).
FLOORS = {
    # general questions such as "what causes a stiff neck?" name a region the labeller left out
    "post_readings": (0.98, 0.97, 0.07, None),
    # words such as "my cross" for the lower back; writers who name someone only in passing
    "voice_readings": (0.94, 0.98, 0.09, 2),
    # general and clinicians' questions that name a region, pets, past pain; people spoken of in general
    "role_readings": (0.95, 0.97, 0.10, 2),
    # knowledge questions that name a part ("is cracking your neck bad for you?"), which real consumers ask of
    # their own pain (the real-phrase labels say so) and this set's labeller counts as no one's
    "ask_readings": (0.96, 0.96, 0.16, 1),
    # a plain "back" where the labeller named the part; "other half" with no "my"; a twin's shoulders beside the
    # writer's: 96.1% recall and 95.6% subject measured on the whole set, 94.0% and 92.9% on the part held here
    "settings_readings": (0.92, 0.91, 0.05, 1),
    # general questions that name a region ("does a dislocated shoulder make you prone to knots?"): 98.1% recall,
    # 99.4% subject and 1.9% false regions measured on the whole set, 98.1%, 99.0% and 1.0% on the part held here
    "injury_readings": (0.96, 0.97, 0.03, 0),
    # "lower bacon", "my trapeze muscle"-like words no speller can tell; general questions that name a part: 95.6%
    # recall, 98.8% subject, 7.5% false regions on the whole set, 94.0%, 100% and 5.4% on the part held here
    "plain_readings": (0.93, 0.98, 0.06, 0),
}


@pytest.mark.parametrize("fixture", sorted(FLOORS))
def test_a_set_holds_its_measured_floor(request, fixture: str) -> None:
    recall, subject, false_rate, unread = FLOORS[fixture]
    result = figures(request.getfixturevalue(fixture))
    assert result.recall >= recall and result.subject_rate >= subject and result.false_rate <= false_rate, result
    assert unread is None or result.flag_read >= result.flagged - unread, result


@pytest.mark.parametrize("fixture", ["readings", "post_readings", "text_readings", "voice_readings", "role_readings",
                                     "ask_readings", "settings_readings", "injury_readings", "plain_readings"])
def test_a_first_message_that_names_a_region_is_taken_up(request, fixture: str) -> None:
    """Whatever the classifier made of it, a first message that says where it hurts is never answered as one not
    understood (small talk, a clinic question or an unsure guess that names a region goes to the intake)."""
    readings = request.getfixturevalue(fixture)
    assert not [r.message.text for r in readings if r.message.regions and r.not_understood]


@pytest.fixture(scope="module")
def screen_readings(servers: Servers) -> List[AnswerReading]:
    """Every typed screen answer that is not a no and a third of the noes, each given to its question in a
    conversation of its own."""
    return read_all_answers(Assistant(servers.rasa_url, servers.token),
                            held_in_tests(SCREEN_ANSWERS, lambda answer: answer.means != "no"))


def test_no_typed_screen_answer_that_is_not_a_no_is_read_as_one(screen_readings) -> None:
    """A yes, a doubt, a question back or a self-correction is never taken for a no (a no would let a routine
    through), and every yes is read as one."""
    result = summary(screen_readings)
    assert not result["unsafe"], [(r.answer.id, r.answer.text) for r in result["unsafe"]]
    assert result["yes"][0] == result["yes"][1], [r.answer.text for r in screen_readings
                                                  if r.answer.means == "yes" and not r.right]


def test_typed_screen_answers_hold_their_measured_floor(screen_readings) -> None:
    """A no in words is taken as a no (not asked again), a sign named in an answer is read: held where they are
    (docs/measurements.md)."""
    result = summary(screen_readings)
    assert result["no"][0] >= result["no"][1] - 4, result["no"]
    assert result["flags"][0] >= result["flags"][1] - 5, result["flags"]
    assert not result["not_reached"]


#: Every serious first message, by the fixture that reads its set.
SERIOUS_FIRST = ([("readings", m.id) for m in OPENERS if m.level in SERIOUS]
                 + [("post_readings", m.id) for m in POSTS if m.level in SERIOUS]
                 + [("text_readings", m.id) for m in TEXTS if m.level in SERIOUS]
                 + [("voice_readings", m.id) for m in VOICES if m.level in SERIOUS]
                 + [("role_readings", m.id) for m in ROLES if m.level in SERIOUS]
                 + [("ask_readings", m.id) for m in ASKS if m.level in SERIOUS]
                 + [("settings_readings", m.id) for m in SETTINGS if m.level in SERIOUS]
                 + [("injury_readings", m.id) for m in INJURY_MESSAGES if m.level in SERIOUS]
                 + [("plain_readings", m.id) for m in PLAIN if m.level in SERIOUS])


@pytest.mark.parametrize(("fixture", "message_id"), SERIOUS_FIRST)
def test_a_serious_first_message_is_decided_at_once(request, fixture: str, message_id: str) -> None:
    """A red flag is acted on at once (contract): decided at its level or above after that one message."""
    reading = next(r for r in request.getfixturevalue(fixture) if r.message.id == message_id)
    assert not reading.under_triaged, (reading.message.text, reading.message.level, reading.level,
                                       sorted(reading.red_flags))


@pytest.mark.parametrize("fixture", ["readings", "text_readings"])
def test_first_messages_meet_the_targets(request, fixture: str) -> None:
    """The openers and the chat-app texts: region recall, false regions, subject and red flags at their targets;
    at most 3% of the messages with no red flag have one read, or two of the few the tests hold (over-triage, never
    a miss: "could my neck ache be meningitis? no temp tho", and an older man's new shoulder and hip stiffness
    with jaw pain on eating, which the clinical facts send to a clinician and the labeller left unflagged)."""
    readings = request.getfixturevalue(fixture)
    result = figures(readings)
    assert result.recall >= 0.95, result
    assert result.false_rate <= 0.02, result
    assert result.subject_rate >= 0.98, result
    assert result.flag_read == result.flagged, [r.message.id for r in readings
                                                 if r.message.red_flags and not r.red_flags]
    assert result.false_flag <= max(2, 0.03 * result.unflagged), [r.message.id for r in readings
                                                           if r.message.red_flags == frozenset() and r.red_flags]


@pytest.fixture(scope="module")
def late_outcomes(servers: Servers) -> Dict[str, LateOutcome]:
    """Every late message that must reach a clinician and a third of the others, each typed at its stage of a
    conversation of its own, by id."""
    assistant = Assistant(servers.rasa_url, servers.token, servers.env["DATABASE_URL"])
    return {o.case.id: o for o in run_all(assistant, held_in_tests(LATE, lambda case: case.gold in LATE_HELD))}


@pytest.mark.parametrize("case_id", [c.id for c in LATE if c.gold in LATE_HELD])
def test_a_sign_typed_late_still_wins(late_outcomes: Dict[str, LateOutcome], case_id: str) -> None:
    """A red flag wins over a routine at any point of a conversation: a serious message typed at any stage sends
    the person to a clinician or further."""
    outcome = late_outcomes[case_id]
    assert not outcome.missed and not outcome.error, (outcome.case.message, outcome.level, outcome.error,
                                                      outcome.transcript[-4:])


def test_benign_late_remarks_are_mostly_left_alone(late_outcomes: Dict[str, LateOutcome]) -> None:
    """Soreness, tired hands, fears put as questions and figures of speech keep the routine: at most the one
    false alarm measured (docs/measurements.md), and 95% at the exact level."""
    outcomes = list(late_outcomes.values())
    assert sum(o.false_alarm for o in outcomes) <= 1, [o.case.id for o in outcomes if o.false_alarm]
    assert sum(o.level == o.case.gold for o in outcomes) >= 0.95 * len(outcomes)


def _held(name: str, vignettes: Sequence[Any], prefix: str, what: str) -> Any:
    """A module fixture `name`: the set's conversations the tests hold, each held once against the running stack,
    four at a time."""
    @pytest.fixture(scope="module", name=name)
    def fixture(servers: Servers) -> Dict[str, Outcome]:
        return hold_all(Assistant(servers.rasa_url, servers.token), held_in_tests(vignettes, _serious), prefix=prefix)

    fixture.__doc__ = f"Every serious {what} and a third of the others held once, four at a time."
    return fixture


subject_outcomes = _held("subject_outcomes", SUBJECT_CONVERSATIONS, "sb", "conversation about whose pain it is")
messy_outcomes = _held("messy_outcomes", MESSY, "mb", "messy conversation")
checker_outcomes = _held("checker_outcomes", CHECKER, "ck", "symptom-checker-style conversation")
injury_outcomes = _held("injury_outcomes", INJURIES, "inj", "conversation about an injury")
turns_outcomes = _held("turns_outcomes", TURNS, "tb", "conversation that changes course")
documents_outcomes = _held("documents_outcomes", DOCUMENTS, "dv", "conversation that opens with a clinical document")

#: The conversation sets held where they were measured (docs/measurements.md says which are left): the least share
#: at the exact level and with whose pain it is right, and how many may end with no decision.
CONVERSATION_FLOORS = {
    # 91% and 97% measured on the whole set; one benign conversation may end undecided ("I can't stop worrying about
    # it" is taken for the step-by-step "stop")
    "subject_outcomes": (SUBJECT_CONVERSATIONS, 0.90, 0.97, 1),
    # signs told as over in long pastes, a sign taken back a message later, judgement calls; 90% and 98.9% measured
    "messy_outcomes": (MESSY, 0.88, 0.98, 0),
    # a terse "31-year-old man, ..." the labeller gave the writer (the contract reads it as someone else): 100% and
    # 98.8% measured on the whole set, 100% and 97.9% on the part held here
    "checker_outcomes": (CHECKER, 0.95, 0.95, 0),
    # every serious accident an emergency and every injury seen the same day; a slip from standing in a young adult
    # the labeller left to self-care is sent to be seen today (conservative): 90.0% and 100% measured on the whole
    # set, 94.2% and 100% on the part held here
    "injury_outcomes": (INJURIES, 0.92, 0.98, 0),
    # a general question's sign acted on before the person says they don't have it, numb legs from sitting
    # cross-legged, a past operation's numbness, an age taken back: 90.0% and 100% measured on the whole set, 93.3%
    # and 100% on the part held here
    "turns_outcomes": (TURNS, 0.90, 0.97, 0),
    # no improvement told in a letter's own words, a mother's polymyalgia in a sister's note, a friend's note quoted
    # in the first person read as the writer's: 96.2% and 98.8% measured on the whole set, 100% and 98.1% on the part
    # held here
    "documents_outcomes": (DOCUMENTS, 0.95, 0.96, 0),
}


@pytest.mark.parametrize(("fixture", "vignette_id"), [(name, v.id) for name, (vignettes, *_) in
                                                      CONVERSATION_FLOORS.items() for v in vignettes
                                                      if v.gold in SERIOUS])
def test_no_serious_conversation_is_a_dangerous_miss(request, fixture: str, vignette_id: str) -> None:
    assert_held_safely(request.getfixturevalue(fixture)[vignette_id])


@pytest.mark.parametrize("fixture", sorted(CONVERSATION_FLOORS))
def test_conversations_hold_their_measured_floor(request, fixture: str) -> None:
    """At the exact level, whose pain it is and conversations decided at their floors."""
    _, exact, subject, undecided = CONVERSATION_FLOORS[fixture]
    outcomes = list(request.getfixturevalue(fixture).values())
    assert sum(o.exact for o in outcomes) >= exact * len(outcomes), [o.vignette.id for o in outcomes if not o.exact]
    assert sum(bool(o.subject_right) for o in outcomes) >= subject * len(outcomes), [o.vignette.id for o in outcomes
                                                                     if o.subject_right is False]
    assert len([o for o in outcomes if o.level is None]) <= undecided, [o.vignette.id for o in outcomes
                                                                        if o.level is None]


@pytest.fixture(scope="module")
def fact_readings(servers: Servers) -> List[facts.FactReading]:
    """A third of the intake-fact cases, each held up to its question in a conversation of its own."""
    return facts.read_all(Assistant(servers.rasa_url, servers.token), held_in_tests(FACT_CASES, lambda case: False))


#: The least share of each fact read right where it is stated, and the most share filled where it is not, on the part
#: held here: measured 100%, 96.8%, 96.9% (2.2% falsely filled: "since christmas", counted from today, which the
#: labeller left unknown) and 90.6%, a case's worth below (docs/measurements.md has the whole set).
FACT_FLOORS = {"body_region": (0.97, 0.0), "pain_quality": (0.93, 0.0), "pain_duration_days": (0.93, 0.03),
               "pain_severity": (0.87, 0.0)}


def test_the_intake_facts_hold_their_measured_floor(fact_readings: List[facts.FactReading]) -> None:
    """Where, what, how long and how bad read as people type them; nothing filled that was not said; every answer
    given when its question was asked."""
    assert not [r.case.id for r in fact_readings if facts.answer_reached(r) is False]
    for fact, row in facts.tally(fact_readings).items():
        right, false = FACT_FLOORS[fact]
        wrong = [(r.case.id, r.slots.get(fact)) for r in fact_readings if r.verdicts[fact] not in ("", "right")]
        assert row["right"] >= right * row["stated"], (fact, wrong)
        assert row["false"] <= false * row["unstated"], (fact, wrong)
