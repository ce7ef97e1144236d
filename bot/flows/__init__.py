"""The conversation flows. Pure like the engine: they return an Outcome and never do I/O."""
