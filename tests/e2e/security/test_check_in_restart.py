"""A 48-hour check-in outlives a restart: Rasa stopped and started before it is due still delivers it, once."""

from __future__ import annotations

import time

import sqlalchemy as sa

from knotcare import schema as tables
from tests.e2e.channels.conftest import CHECK_IN_SECONDS
from tests.e2e.channels.drivers import over_telegram

CHECK_IN = "checking in, as I said I would"


def _pending(world) -> list:
    engine = sa.create_engine(world.servers.database_url, future=True)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.select(tables.pending_check_ins.c.conversation)).scalars())
    finally:
        engine.dispose()


def test_a_restart_before_the_check_in_is_due_still_delivers_it_once(world) -> None:
    conversation = over_telegram(world, after=["skip"])  # a plan: the check-in is due CHECK_IN_SECONDS later
    world.servers.stop_rasa()  # the scheduler, and the job in it, go with the process
    chat_id = conversation.removeprefix("telegram:")

    def asked() -> list:
        return world.telegram.matching("sendMessage", lambda p: str(p.get("chat_id")) == chat_id
                                       and CHECK_IN in p.get("text", ""))

    assert not asked() and conversation in _pending(world)
    world.servers.start_rasa()
    world.telegram.wait_for("sendMessage", lambda p: str(p.get("chat_id")) == chat_id
                            and CHECK_IN in p.get("text", ""), timeout=CHECK_IN_SECONDS + 60)
    time.sleep(3)
    assert len(asked()) == 1
    assert conversation not in _pending(world)
