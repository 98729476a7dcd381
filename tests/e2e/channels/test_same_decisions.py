"""The same conversation gives the same decisions on every channel (REST, socket.io, Slack, Telegram)."""

from __future__ import annotations

import pytest

from tests.e2e.channels.drivers import EXPECTED, contract, over_rest, over_slack, over_socketio, over_telegram

pytestmark = pytest.mark.channels


def test_one_script_same_contract_slots_on_every_channel(world) -> None:
    results = {
        "rest": contract(world, over_rest(world)),
        "socketio": contract(world, over_socketio(world)),
        "slack": contract(world, over_slack(world)),
        "telegram": contract(world, over_telegram(world)),
    }
    for channel, slots in results.items():
        assert slots == EXPECTED, (channel, slots)
