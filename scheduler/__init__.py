"""Scheduling of check-ins and reminders through an outbox. Built by the reminders issue; the
foundation only reserves the package so the layout matches DESIGN.md."""
