"""Conversation core: content, the pure engine, its flows, and the channels."""
