"""The care loop: alerts, staff notifications and escalation.

- `kinds`: the alert kinds (one StrEnum, the stored values).
- `raising`: raise, hold, release and drop alerts, and queue the notification for an urgent one
  in the same transaction; who is responsible (the coordinator, a stand-in, the duty list).
- `handling`: acknowledge and resolve.
- `escalation`: the clock's rules: release held alerts, send unacknowledged urgent alerts to the
  duty list, queue the daily digest.
- `outbox`: claim, mark and retry staff notifications (never sent twice).
- `staff_hours`: when staff are at work (weekdays, Danish public holidays off).
- `email`: the SMTP client.

Importing this package loads nothing heavy: import the module you need.
"""
