"""Drive the pure engine like the service would, keeping state and effects between events."""

from __future__ import annotations

from bot.engine import Idle, State, handle
from bot.engine.messages import Event, Message
from core.content import Content
from tests.auxil.ports import FakePorts


class EngineHarness:
    def __init__(self, content: Content, ports: FakePorts, state: State | None = None) -> None:
        self.content = content
        self.ports = ports
        self.state: State = state or Idle()
        self.effects: list[object] = []

    def __call__(self, event: Event) -> tuple[Message, ...]:
        outcome = handle(self.state, event, self.ports, self.content)
        self.state = outcome.state
        self.effects.extend(outcome.effects)
        self.ports.apply(outcome.effects)
        return outcome.messages
