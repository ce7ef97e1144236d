"""Channels translate between a medium (terminal, Telegram) and engine events and messages."""
