"""How a message is phrased: asked as a question or said as a statement (shared by the NLU components)."""

from __future__ import annotations

import re

QUESTION_WORDS = frozenset({
    "how", "what", "whats", "what's", "why", "when", "which", "where", "who", "should", "shall", "can", "could",
    "is", "are", "does", "do", "did", "will", "would", "may", "might", "any", "anything", "tips", "advice", "tell",
    "explain", "help", "hows", "how's", "wat", "wht", "ok", "okay", "best",
})


#: A question tagged on at the end without its "?": "my traps are tender after yesterday's session is that ok".
_TAG_QUESTION = re.compile(
    r"\b(?:(?:is|was|are|isn'?t)\s+(?:that|this|it)\s+(?:ok|okay|normal|expected|fine|bad|serious|right|common|usual|"
    r"alright|all right)|should i (?:worry|be worried)|do i need to worry)\s*[.!]*\s*$")


def phrased_as_question(text: str) -> bool:
    """A "?" anywhere, a question word first ("how long do i hold it", "any tips for my neck"), or a question
    tagged on at the end ("... is that normal")."""
    words = text.strip().lower().replace(",", " ").split()
    return ("?" in text or (bool(words) and words[0] in QUESTION_WORDS)
            or bool(_TAG_QUESTION.search(text.strip().lower())))


#: Words that open a question wherever a clause starts ("I don't get it, why would squeezing help").
CLAUSE_QUESTION_WORDS = frozenset({"how", "hows", "how's", "what", "whats", "what's", "why"})


def asks_anything(text: str) -> bool:
    """Phrased as a question, or a clause in it opens with how, what or why."""
    if phrased_as_question(text):
        return True
    for clause in text.lower().replace(";", ",").replace(".", ",").replace("!", ",").split(","):
        words = clause.split()
        if words and words[0] in CLAUSE_QUESTION_WORDS:
            return True
    return False
