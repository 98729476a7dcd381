"""SQL tables: the reviewed content (routines, tools, rules, answers, referrals, messages) and the personal
tables (tickets, plans, progress, pending check-ins and forgets). SQLAlchemy Core; SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

routines = Table(
    "routines", metadata,
    Column("id", String(80), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("gentle", Boolean, nullable=False, default=False),
    Column("minutes", Integer, nullable=False),
    Column("pressure", Text, nullable=False),
    Column("frequency", Text, nullable=False),
    Column("warm_up", Text, nullable=False),
    Column("aftercare", Text, nullable=False),
    Column("why", Text, nullable=False),
    Column("notes", Text, nullable=False, default=""),
    Column("source", Text, nullable=False),
)
routine_regions = Table(
    "routine_regions", metadata,
    Column("routine_id", String(80), ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True),
    Column("region", String(40), primary_key=True, index=True),
    Column("position", Integer, nullable=False),  # the first region is the one the routine is made for
)
routine_muscles = Table(
    "routine_muscles", metadata,
    Column("routine_id", String(80), ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True),
    Column("muscle", String(60), primary_key=True),
    Column("position", Integer, nullable=False),
)
routine_tools = Table(
    "routine_tools", metadata,
    Column("routine_id", String(80), ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True),
    Column("tool_id", String(60), ForeignKey("tools.id"), primary_key=True),
    Column("position", Integer, nullable=False),
)
routine_steps = Table(
    "routine_steps", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("routine_id", String(80), ForeignKey("routines.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("tool_id", String(60), ForeignKey("tools.id"), nullable=True),
    Column("hold_seconds_min", Integer, nullable=True),
    Column("hold_seconds_max", Integer, nullable=True),
    Column("repetitions", Integer, nullable=True),
    Column("rest_seconds", Integer, nullable=True),
    Column("place", String(20), nullable=False),
)
routine_cautions = Table(
    "routine_cautions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("routine_id", String(80), ForeignKey("routines.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
tools = Table(
    "tools", metadata,
    Column("id", String(60), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("good_for", Text, nullable=False),
    Column("how_to_use", Text, nullable=False),
    Column("buying_tips", Text, nullable=True),
    Column("cautions", JSON, nullable=False),
    Column("source", Text, nullable=False),
)
triage_rules = Table(
    "triage_rules", metadata,
    Column("id", String(80), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("level", String(20), nullable=False, index=True),
    Column("conditions", JSON, nullable=False),
    Column("message", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("message_for_other", Text, nullable=False, default=""),
)
answers = Table(
    "answers", metadata,
    Column("topic", String(80), primary_key=True),
    Column("text", Text, nullable=False),
    Column("region_notes", JSON, nullable=False),
    Column("source", Text, nullable=False),
)
referrals = Table(
    "referrals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("muscle", String(60), nullable=False, index=True),
    Column("pain_areas", JSON, nullable=False),
    Column("regions", JSON, nullable=False),
    Column("routine_ids", JSON, nullable=False),
    Column("note", Text, nullable=False),
    Column("source", Text, nullable=False),
)
messages = Table(
    "messages", metadata,
    Column("key", String(80), primary_key=True),
    Column("text", Text, nullable=False),
    Column("buttons", JSON, nullable=False),
)
kb_meta = Table(
    "kb_meta", metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

# Handoff tickets (knotcare/clinic/tickets.py): personal data, so person_id and
# info={"personal": True} (knotcare/privacy.py) let "forget me" and retention find them.
handoff_tickets = Table(
    "handoff_tickets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    # The Rasa tracker API path of the conversation (it holds the raw sender id):
    # staff need it to read what was said; it lives only in this personal table.
    Column("conversation", Text, nullable=False),
    Column("reason", String(30), nullable=False),  # "asked" or "not_understood"
    Column("status", String(10), nullable=False, default="open", index=True),
    Column("summary", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", String(120), nullable=True),
    Column("slack_channel", String(40), nullable=True),
    Column("slack_ts", String(40), nullable=True),
    # Why Slack did not take the staff message (its error code), while it has not: staff are told by
    # `knotcare tickets list` and `knotcare tickets notify` sends it again.
    Column("slack_error", String(60), nullable=True),
    info={"personal": True, "dated_by": "created_at"},
)

#: Tables holding reviewed content, children first (the order to delete them in).
CONTENT_TABLES = (
    routine_regions, routine_muscles, routine_tools, routine_steps, routine_cautions,
    routines, tools, triage_rules, answers, referrals, messages,
)

# --- Personal data (knotcare/privacy.py): a pseudonymous person_id, never the sender id. ---------------
#: The plans a person was given (the return check-in and "how am I doing?" read them). No foreign key to
#: routines: re-seeding the content must never delete a person's history.
person_plans = Table(
    "person_plans", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("routine_id", String(80), nullable=False),
    Column("triage_level", String(20), nullable=False),
    Column("given_at", DateTime(timezone=True), nullable=False),
    Column("preferences", JSON, nullable=False),
    info={"personal": True, "dated_by": "given_at"},
)
#: Sessions (pain 0-10 before and after) and check-ins (how it went since), per person.
progress_entries = Table(
    "progress_entries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # "session" or "check_in"
    Column("routine_id", String(80), nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("pain_before", Integer, nullable=True),
    Column("pain_after", Integer, nullable=True),
    Column("notes", Text, nullable=False, default=""),
    info={"personal": True, "dated_by": "started_at"},
)
#: The unprompted check-in each person is due (Slack, Telegram). Rasa's scheduler keeps reminders in memory only,
#: so they are kept here too: re-armed when Rasa starts (channels/rearm.py), taken when the check-in is asked.
#: `conversation` is the channel's conversation id, needed to reach the person again: personal, like tickets'.
pending_check_ins = Table(
    "pending_check_ins", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("conversation", Text, nullable=False),
    # where replies went (a Slack DM channel), when the channel needs it to send one unprompted
    Column("reply_to", String(60), nullable=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    info={"personal": True, "dated_by": "created_at"},
)
#: A "forget me" that is not finished until the conversation is gone from the tracker store too (another
#: database: no shared transaction). Written before the personal rows go, removed once the conversation is
#: deleted; what is left is finished by `knotcare forget-pending` (run by `make run` and by retention).
pending_forgets = Table(
    "pending_forgets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("conversation", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    info={"personal": True, "dated_by": "requested_at", "kept_until_forgotten": True},
)
