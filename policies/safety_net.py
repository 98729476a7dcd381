"""A dialogue policy that keeps safety guidance working when the action server does not answer.

Every decision normally comes from the action server (action_decide_care runs
the triage engine against the knowledge base). If that server is down or fails,
Rasa logs the error, drops the action's events and carries on silently: a person
who just wrote "I can't feel my legs and can't pee" would get no answer at all.

This policy notices exactly that situation (the last event is one of the
watched custom actions or a form, and it produced nothing) and answers from the model
itself: it runs the same triage engine on the red flags that NLU read, with the
reviewed rules copied into the model at training time, and utters the domain
response for that level (`utter_safety_net_<level>`), setting the contract
slots so the tracker says what was decided. Without a red flag it says that
something went wrong and that the message was kept. It never gives a routine.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from knotcare.config import DATA_DIR
from knotcare.kb.seed import content_digest, load_rules, rules_version
from knotcare.triage.engine import Facts, Rule, decide

logger = logging.getLogger(__name__)

RULES_FILE = "rules.json"
VERSION_FILE = "rules_version.txt"
#: The levels that get their own response; anything less urgent gets the generic one.
URGENT_LEVELS = ("emergency", "urgent", "see_clinician")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyNetPolicy(Policy):
    """Answers from the model when one of our custom actions failed (see the module docstring)."""

    @staticmethod
    def supported_data() -> SupportedData:
        """Needs no training stories: it reads only the last events."""
        return SupportedData.ML_AND_RULE_DATA

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`priority` above RulePolicy (4) so it wins a tie; `response_prefix` names the responses."""
        return {"priority": 5, "response_prefix": "utter_safety_net_", "red_flag_entity": "red_flag",
                "condition_entity": "condition",
                # Actions that always return events (at least what they say) when they run; forms too.
                # Actions that may legitimately say nothing (a check-in with nothing to ask about, a
                # form's optional question) must not be listed: silence would read as a failure.
                "watched_actions": ["action_decide_care", "action_answer_question", "action_default_fallback",
                                    "action_answer_check_in", "action_answer_clinic", "action_request_human",
                                    "action_forget_me", "action_give_plan", "action_show_progress"]}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrain when the reviewed triage rules or patterns change: the model carries a copy of the rules and
        their version."""
        return content_digest(DATA_DIR) + rules_version(DATA_DIR)

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer: Any = None,
                 rules: Optional[List[Rule]] = None, version: Optional[str] = None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._rules: List[Rule] = rules or []
        self._version = version

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Copy the reviewed triage rules into the model, so the safety net needs no database or server."""
        self._rules = list(load_rules(DATA_DIR))
        self._version = rules_version(DATA_DIR)
        with self._model_storage.write_to(self._resource) as path:
            (Path(path) / VERSION_FILE).write_text(self._version)
            rows = [{"id": r.id, "level": r.level, "when": dict(r.when), "message": r.message, "source": r.source,
                     "message_for_other": r.message_for_other}
                    for r in self._rules]
            (Path(path) / RULES_FILE).write_text(json.dumps(rows))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SafetyNetPolicy":
        """Load the rules copied at training time."""
        with model_storage.read_from(resource) as path:
            rows = json.loads((Path(path) / RULES_FILE).read_text())
            version = (Path(path) / VERSION_FILE).read_text().strip()
        rules = [Rule(r["id"], r["level"], r["when"], r["message"], r["source"], r.get("message_for_other", ""))
                 for r in rows]
        return cls(config, model_storage, resource, execution_context, rules=rules, version=version)

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        """Predict our response after a silent failure, action_listen after our response, else nothing."""
        result = self._default_predictions(domain)
        last = tracker.events[-1] if tracker.events else None
        if not isinstance(last, ActionExecuted) or not last.action_name:
            return self._prediction(result)
        prefix = self.config["response_prefix"]
        if last.action_name.startswith(prefix):
            result[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
            return self._prediction(result, is_no_user_prediction=True)
        if last.action_name not in self._watched(domain) or not self._live(tracker):
            return self._prediction(result)
        logger.warning("Action '%s' produced nothing (is the action server up?): answering from the model.",
                       last.action_name)
        facts = self._facts(tracker)
        decision = decide(facts, self._rules) if facts.red_flags else None
        level = decision.level if decision and decision.level in URGENT_LEVELS else "unavailable"
        response = prefix + level
        if response not in domain.action_names_or_texts:
            response = prefix + "unavailable"
        result[domain.index_for_action(response)] = 1.0
        events = []
        if decision is not None and level != "unavailable":
            events = [SlotSet("triage_level", decision.level), SlotSet("triage_rule_ids", list(decision.rule_ids)),
                      SlotSet("triage_rules_version", self._version), SlotSet("red_flags", sorted(facts.red_flags))]
        # Marked as a "no user" prediction: inside a form, RulePolicy's loop prediction is one, and
        # the ensemble lets those overrule all others; ours must win there too (higher priority).
        return self._prediction(result, events=events, is_no_user_prediction=True)

    def _watched(self, domain: Domain) -> Set[Text]:
        """The watched actions and every form: each returns events whenever it runs, so none means it failed."""
        return set(self.config["watched_actions"]) | set(domain.form_names)

    @staticmethod
    def _live(tracker: DialogueStateTracker) -> bool:
        """A message that came in over a channel. Test stories (`rasa test core`) replay actions without
        their utterances, so there a silent action is not a failure; their messages name no channel."""
        return bool(tracker.latest_message and tracker.latest_message.input_channel)

    def _facts(self, tracker: DialogueStateTracker) -> Facts:
        """What the slots and the latest message say (the slots miss what the failed action would have set)."""
        entities = tracker.latest_message.entities if tracker.latest_message else []

        def read(name: Text) -> Set[Text]:
            return {e["value"] for e in entities if e.get("entity") == name and isinstance(e.get("value"), str)}

        slots = {name: tracker.get_slot(name) for name in
                 ("body_region", "pain_quality", "pain_duration_days", "pain_severity")}
        slots["red_flags"] = sorted(set(tracker.get_slot("red_flags") or ()) | read(self.config["red_flag_entity"]))
        slots["conditions"] = sorted(set(tracker.get_slot("conditions") or ())
                                     | read(self.config["condition_entity"]))
        return Facts.from_mapping(slots)
