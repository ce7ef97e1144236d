.PHONY: test lint bench demo migration

test:
	python3 -m pytest

lint:
	ruff check .
	mypy

bench:
	python3 -m benchmarks.dispatch --reminders 10000

demo:
	ungeguide chat --fresh

migration:
	python3 -c "import sys; from storage.dev import new_migration; new_migration(sys.argv[1])" "$(m)"
