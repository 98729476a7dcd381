"""The Rasa NLU components on real Messages: entities from the extractor, and the red-flag router."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.fact_extractor import KnotcareFactExtractor
from components.red_flag_router import RedFlagRouter
from components.scope_router import ScopeRouter


def extract(text: str) -> Message:
    message = Message(data={TEXT: text})
    KnotcareFactExtractor(KnotcareFactExtractor.get_default_config()).process([message])
    return message


def guessed(text: str, intent: str, confidence: float = 0.6) -> Message:
    """The message as the routers get it: the extractor's entities, and `intent` as the classifier's only guess."""
    message = extract(text)
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    return message


def test_extractor_adds_canonical_entities_only_when_affirmed() -> None:
    entities = extract("no tingling, just a dull ache under my shoulder blade for 3 weeks").get(ENTITIES)
    assert {(e["entity"], e["value"]) for e in entities} == {
        ("pain_quality", "dull_ache"), ("body_region", "upper_back"), ("duration", "3 weeks")}
    assert all(e["extractor"] == "KnotcareFactExtractor" for e in entities)


def test_router_overrides_the_intent_when_a_red_flag_is_affirmed() -> None:
    message = guessed("thanks! oh and I can't control my bladder since yesterday", "thank", 0.9)
    RedFlagRouter(RedFlagRouter.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "report_red_flag"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["report_red_flag", "thank"]


def test_router_leaves_negated_flags_alone() -> None:
    message = extract("thanks, and no, I haven't had any bladder problems")
    message.set(INTENT, {"name": "thank", "confidence": 0.9})
    RedFlagRouter(RedFlagRouter.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "thank"


def test_fingerprint_changes_with_the_patterns(tmp_path) -> None:
    (tmp_path / "a.yml").write_text("entity: body_region\nvalues: {}\n")
    before = KnotcareFactExtractor.fingerprint_addon({"patterns": str(tmp_path)})
    (tmp_path / "a.yml").write_text("entity: body_region\nvalues: {neck: {phrases: [neck]}}\n")
    assert KnotcareFactExtractor.fingerprint_addon({"patterns": str(tmp_path)}) != before


def test_a_red_flag_guess_without_a_red_flag_goes_to_the_intake() -> None:
    message = guessed("started a week ago", "report_red_flag", 0.97)
    RedFlagRouter(RedFlagRouter.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "describe_pain"


def answer_routed(text: str, intent: str, **config: object) -> str:
    from components.answer_router import AnswerRouter

    message = guessed(text, intent)
    AnswerRouter({**AnswerRouter.get_default_config(), **config}).process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("text, guess, intent", [
    # short answers to the intake are statements, not questions
    ("sore", "ask_soreness", "describe_pain"),
    ("dull", "ask_causes", "describe_pain"),
    ("about 3 weeks", "nlu_fallback", "describe_pain"),
    # a region with details is a description
    ("lower back knot is absolutely crippling, 9/10, i can barely get my socks on", "ask_tools", "describe_pain"),
    # real questions keep their intent
    ("how long do I hold it on my neck?", "ask_hold_time", "ask_hold_time"),
    ("is it normal to be sore after", "ask_soreness", "ask_soreness"),
    ("tennis ball ok for my neck", "ask_tools", "ask_tools"),
    ("thanks", "thank", "thank"),
    # an out-of-scope or fallback guess that names a region is a description
    ("fell asleep in the armchair and woke up with a crick in my mid back", "nlu_fallback", "describe_pain"),
    ("im 16 and my lower back has been hurting for 2 weeks, i play a lot of football", "out_of_scope",
     "describe_pain"),
    ("what's the weather like", "out_of_scope", "out_of_scope"),
    # an unsure guess that only says whose pain it is starts the intake; asked as a question, it stays unsure
    ("It's about my mum. She is 74.", "nlu_fallback", "describe_pain"),
    ("asking for my husband, he's 60", "nlu_fallback", "describe_pain"),
    ("is it ok to ask for my mum?", "nlu_fallback", "nlu_fallback"),
    # a pain fact beside a condition is a description
    ("had an L4-L5 fusion in May, recovering well. there's a tight knot in the muscle just above the scar",
     "ask_what_is_trigger_point", "describe_pain"),
    ("can i use a massage ball after a spinal fusion?", "ask_tools", "ask_tools"),
    # an unsure guess that says where and what is a description, even with a question ...
    ("Born in 1959. Now there's a sore spot in my lower back. What massage would you suggest?", "nlu_fallback",
     "describe_pain"),
    # ... while a question the classifier placed keeps its intent, and a question naming only a region stays unsure
    ("how long do I hold a sore spot in my lower back?", "ask_hold_time", "ask_hold_time"),
    ("can you help with my lower back?", "nlu_fallback", "nlu_fallback"),
    # an unsure question about a knot where it hurts is a description too, and so is one about someone else's region
    ("he's the one suffering: his neck and shoulders are rock hard by the evening. What can I do to help him?",
     "nlu_fallback", "describe_pain"),
    ("can u help w a knot in my trap", "nlu_fallback", "describe_pain"),
    ("how long do I hold a knot in my trap?", "ask_hold_time", "ask_hold_time"),
    # someone saying they have a knot, with nothing else yet, starts the intake; asking what a knot is does not
    ("I have a knot", "nlu_fallback", "describe_pain"),
    ("I've got knots", "nlu_fallback", "describe_pain"),
    ("I have a muscle knot", "ask_what_is_trigger_point", "describe_pain"),
    ("what is a muscle knot?", "ask_what_is_trigger_point", "ask_what_is_trigger_point"),
    ("knots are just tight muscle", "ask_what_is_trigger_point", "ask_what_is_trigger_point"),
    # "forget mine" about someone else's care is no request to delete the writer's data
    ("forget mine, what should he do? he's 52", "forget_me", "describe_pain"),
    ("forget me", "forget_me", "forget_me"),
    ("please delete everything you have about me", "forget_me", "forget_me"),
])
def test_statements_guessed_as_questions_are_descriptions_and_questions_keep_their_intent(
        text: str, guess: str, intent: str) -> None:
    assert answer_routed(text, guess) == intent


def routed(text: str, intent: str = "describe_pain") -> Message:
    message = guessed(text, intent)
    ScopeRouter(ScopeRouter.get_default_config()).process([message])
    RedFlagRouter(RedFlagRouter.get_default_config()).process([message])
    return message


def test_a_part_we_do_not_cover_gets_the_scope_intent() -> None:
    assert routed("my knee hurts", "nlu_fallback").get(INTENT)["name"] == "describe_other_part"
    assert routed("my hip is killing me").get(INTENT)["name"] == "describe_other_part"


def test_a_covered_region_beside_it_keeps_the_intake() -> None:
    message = routed("my knee and lower back hurt")
    assert message.get(INTENT)["name"] == "describe_pain"
    assert {e["value"] for e in message.get(ENTITIES) if e["entity"] == "other_body_part"} == {"knee"}


def test_pain_spreading_down_a_leg_is_not_called_out_of_scope() -> None:
    message = routed("lower back pain going down my leg")
    assert not [e for e in message.get(ENTITIES) if e["entity"] == "other_body_part"]


def test_a_red_flag_about_a_part_we_do_not_cover_is_still_acted_on() -> None:
    assert routed("my knee hurts and i can't control my bladder").get(INTENT)["name"] == "report_red_flag"
    assert routed("crushing pain in my chest").get(INTENT)["name"] == "report_red_flag"


def test_a_question_about_a_part_keeps_its_intent() -> None:
    assert routed("how long should i hold it on my knee?", "ask_hold_time").get(INTENT)["name"] == "ask_hold_time"


def test_an_arm_or_a_leg_alone_goes_to_the_intake_not_the_scope_answer() -> None:
    assert routed("my arm hurts", "nlu_fallback").get(INTENT)["name"] == "nlu_fallback"
    assert routed("bak went tuesday and now both my legs r gone numb n weak").get(INTENT)["name"] == "report_red_flag"


def test_a_question_about_someone_elses_case_that_says_where_and_what_is_a_description() -> None:
    text = ("Hi, reception at a sports massage studio. A client (35F) wrote in her notes: MRI showed a C5/6 disc "
            "bulge, just a neck knot. Should we go ahead with the deep tissue neck booking?")
    assert answer_routed(text, "ask_booking") == "describe_pain"
    # the writer's own question keeps its intent, and so does someone else's question with no case in it
    assert answer_routed("how long do I hold a sore spot in my lower back?", "ask_hold_time") == "ask_hold_time"
    assert answer_routed("can my husband book a neck massage?", "ask_booking") == "ask_booking"


def test_a_question_tagged_on_at_the_end_keeps_its_intent() -> None:
    assert answer_routed("my traps are tender after yesterdays session is that ok", "ask_soreness") == "ask_soreness"
    assert answer_routed("my traps are tender after yesterdays session", "ask_soreness") == "describe_pain"


def test_small_talk_guessed_for_a_description_is_a_description() -> None:
    assert answer_routed("ive got a knot in my mid back", "affirm") == "describe_pain"
    assert answer_routed("got a knot under my right shoulder blade, been there a while", "affirm") == "describe_pain"
    assert answer_routed("hello! tight traps today", "greet") == "describe_pain"
    # an answer to a yes/no question stays one, and small talk that names no region stays small talk
    assert answer_routed("yes, in my lower back", "affirm") == "affirm"
    assert answer_routed("nope, my neck is fine", "deny") == "deny"
    assert answer_routed("hi there", "greet") == "greet"


def test_a_relayed_case_guessed_as_a_clinic_question_is_a_description() -> None:
    text = "Chiropractor here, asking about self-care for a patient's lumbar paraspinal knot"
    assert answer_routed(text, "ask_parking") == "describe_pain"
    text = ("Reception at Parkside Physio here, I have a caller asking if you can give her some self-care advice"
            " for a knot")
    assert answer_routed(text, "ask_parking") == "describe_pain"
    # asked, it is a case only where the guess is one of the clinic's own questions (never about a knot)
    text = "Practice nurse here, can I get self-massage advice for a patient with a trigger point?"
    assert answer_routed(text, "ask_parking", clinic_intents=["ask_parking"]) == "describe_pain"
    assert answer_routed(text, "ask_parking") == "ask_parking"
    assert answer_routed("how long should my patient hold the pressure on a knot?", "ask_hold_time",
                         clinic_intents=["ask_parking"]) == "ask_hold_time"
    # the clinic's questions keep their intent, relayed or not
    assert answer_routed("I have a caller asking if there's parking?", "ask_parking",
                         clinic_intents=["ask_parking"]) == "ask_parking"
    assert answer_routed("is there parking near you", "ask_parking") == "ask_parking"


def told(text: str, intent: str, tracker: object) -> str:
    """The intent after the answer router, for `text` guessed as `intent` in a conversation in the state of
    `tracker` (its metadata set as the server sets it)."""
    from rasa.core.channels.channel import UserMessage

    from components.answer_router import AnswerRouter
    from patches.conversation_context import mark

    sent = UserMessage(text, metadata={"knotcare_guided_session": True})  # what a client says is not believed
    mark(sent, tracker)
    message = guessed(text, intent)
    message.set("metadata", sent.metadata)
    AnswerRouter(AnswerRouter.get_default_config()).process([message])
    return message.get(INTENT)["name"]


def conversation(loop: object = None, **slots: object) -> object:
    from rasa.shared.core.events import ActiveLoop, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events("someone", [SlotSet(name, value) for name, value in slots.items()]
                                            + [ActiveLoop(loop)])


@pytest.mark.parametrize("text, guess, outside", [
    ("I've had a knot at the top of my right shoulder for a week and I can't stop worrying about it", "step_stop",
     "describe_pain"),
    ("stop", "step_stop", "nlu_fallback"),
    ("next", "step_next", "nlu_fallback"),
    ("once more please", "step_repeat", "nlu_fallback"),
])
def test_a_step_by_step_command_means_one_only_while_a_session_runs(text: str, guess: str, outside: str) -> None:
    assert told(text, guess, conversation()) == outside
    assert told(text, guess, conversation(guided_session="finished")) == outside
    assert told(text, guess, conversation(guided_session="active")) == guess
    assert told(text, guess, conversation("pain_before_form")) == guess  # rating the pain before the first step
    # read with no conversation (Rasa's NLU tests), the classifier's guess stands
    assert answer_routed(text, guess) == guess


def flags_in_conversation(text: str, tracker: object) -> set:
    """The red flags read in `text`, typed in a conversation in the state of `tracker`."""
    from rasa.core.channels.channel import UserMessage

    from patches.conversation_context import mark

    sent = UserMessage(text, metadata={"knotcare_known_conditions": ["pregnancy"]})  # a client's say is not believed
    mark(sent, tracker)
    message = Message(data={TEXT: text, "metadata": sent.metadata})
    KnotcareFactExtractor(KnotcareFactExtractor.get_default_config()).process([message])
    return {e["value"] for e in message.get(ENTITIES) if e["entity"] == "red_flag"}


@pytest.mark.parametrize("text", [
    "Sorry, one more thing. She just told me she had some bleeding this afternoon",
    "oh and I've had a bit of spotting since this morning",
    "she says it burns when she pees now",
])
def test_a_pregnancy_warning_sign_typed_later_counts_once_the_pregnancy_is_known(text: str) -> None:
    assert "pregnancy_warning" in flags_in_conversation(text, conversation(conditions=["pregnancy"]))
    assert "pregnancy_warning" not in flags_in_conversation(text, conversation(conditions=[]))


@pytest.mark.parametrize("text", [
    "no bleeding at all, and it doesn't burn when I pee",
    "my sister had some bleeding in her pregnancy, that's why I worry",
    "what if I get some bleeding later on?",
])
def test_a_warning_sign_denied_told_of_someone_else_or_asked_about_does_not(text: str) -> None:
    tracker = conversation(conditions=["pregnancy"], subject="self", body_region="lower_back")
    assert "pregnancy_warning" not in flags_in_conversation(text, tracker)


def test_signs_told_in_passing_count_once_the_conversation_turns_to_that_person() -> None:
    """Through the server's own marking: the slots kept aside reach the extractor; a client's say does not."""
    from rasa.core.channels.channel import UserMessage

    from patches.conversation_context import mark

    def read(text: str, tracker: object, sent_metadata: dict) -> dict:
        sent = UserMessage(text, metadata=sent_metadata)
        mark(sent, tracker)
        message = Message(data={TEXT: text, "metadata": sent.metadata})
        KnotcareFactExtractor(KnotcareFactExtractor.get_default_config()).process([message])
        out: dict = {}
        for e in message.get(ENTITIES):
            out.setdefault(e["entity"], set()).add(e["value"])
        return out

    told = read("my wife is in bed with a fever and a stiff neck, she's 20 weeks pregnant", own_conversation(
        subject="self", body_region="neck"), {})
    # (a fever in pregnancy is a warning sign of its own)
    assert told["passing_red_flag"] == {"pregnancy_warning"} and "red_flag" not in told
    assert told["passing_condition"] == {"pregnancy"} and "condition" not in told
    aside = own_conversation(subject="self", body_region="neck", passing_red_flags=["pregnancy_warning"],
                             passing_conditions=["pregnancy"])
    turned = read("actually it's her I'm worried about, what should she do?", aside, {})
    assert turned["red_flag"] == {"pregnancy_warning"} and turned["condition"] == {"pregnancy"}
    # a message that stays with the writer's own knot, and a client claiming signs kept aside, change nothing
    assert "red_flag" not in read("mine is a dull ache, about a 4", aside, {})
    forged = {"knotcare_passing_signs": [["red_flag", "chest_pain"]]}
    assert "red_flag" not in read("what should she do?", own_conversation(subject="self", body_region="neck"), forged)


def own_conversation(said: str = "I've got a knot in my neck", **slots: object) -> object:
    """A conversation in which the writer said `said`, then the slots were set."""
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events("someone", [UserUttered(said)] + [SlotSet(name, value)
                                                                             for name, value in slots.items()])


@pytest.mark.parametrize("said, writers", [
    ("I've got a knot in my neck", True),
    ("neck knot, 3 days", False),
    ("can a knot in the neck cause numbness in the arms?", False),
    ("/describe_pain{\"body_region\": \"neck\"}", True),
])
def test_the_conversation_is_about_the_writers_pain_once_they_own_it(said: str, writers: bool) -> None:
    from rasa.core.channels.channel import UserMessage

    from patches.conversation_context import mark

    sent = UserMessage("my mom's got one, she's 72")
    mark(sent, own_conversation(said, subject="self", body_region="neck"))
    assert bool(sent.metadata.get("knotcare_writer_in_pain")) is writers
