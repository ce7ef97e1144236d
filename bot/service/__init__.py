"""The conversation service: the I/O shell around the pure engine.

- `shell`: one transaction per event (the state row locked and versioned), retries, joining.
- `ports`: the engine's Ports, answered from the open session.
- `effects`: the engine's effects applied through the domain, in the same transaction.
"""

from bot.service.ports import agreement_view, meeting_view
from bot.service.shell import ConversationService, new_response_id

__all__ = ["ConversationService", "agreement_view", "meeting_view", "new_response_id"]
