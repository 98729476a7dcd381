"""Process-wide adjustments to Rasa 3.6.21, each a small wrap of one Rasa function with the reason beside it.

- `log_privacy`: no log line carries what a person wrote;
- `action_validation`: the action server's replies are checked with a validator built once;
- `conversation_context`: NLU learns whether a message comes in a conversation about the writer's own pain;
- `heap`: the loaded model is frozen out of the garbage collector's reach once the server is up.

`install()` puts the first three in place (idempotent). The model's fact extractor calls it when it loads, so every
Rasa process that runs our model has them, whichever channels it serves; our channels call it too.
"""

from __future__ import annotations

from patches import action_validation, conversation_context, log_privacy


def install() -> None:
    """Install every process-wide adjustment (each once)."""
    log_privacy.install()
    action_validation.install()
    conversation_context.install()
