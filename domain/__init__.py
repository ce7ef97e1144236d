"""The domain layer: one module per capability, holding its rules and its transaction-level
service functions. It sits between storage/ (models, database) and the channels (bot/,
scheduler/, dashboard/), which call it and never each other."""
