.PHONY: test lint demo migration

test:
	python3 -m pytest

lint:
	ruff check .
	mypy

demo:
	ungeguide chat --fresh

migration:
	python3 -c "import sys; from storage.dev import new_migration; new_migration(sys.argv[1])" "$(m)"
