"""The base package: what every other package may use, importing nothing of the project.

- `clock`: the clock type and the real clock (UTC).
- `locale`: Danish dates, times and numbers through Babel, in Europe/Copenhagen.
- `text`: cleaning and normalising typed text.
- `content`: the YAML content in dialogues/ as validated, typed models.
"""
