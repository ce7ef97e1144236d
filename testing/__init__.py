"""The test kit that tests and benchmarks share: a fake Telegram Bot API server on loopback,
a small threaded HTTP server to run it in, and bulk seed data. Not part of the application."""
