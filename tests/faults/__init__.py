"""Fault tests: process kills, database restarts, a misbehaving Telegram."""
