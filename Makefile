.PHONY: nlu-model test lint bench bench-load bench-nlu bench-safety bench-typed bench-dashboard bench-faults bench-national demo demo-dashboard migration rasa-setup rasa-train rasa-serve

test:
	python3 scripts/test.py

lint:
	ruff check .
	mypy
	lint-imports

bench:
	python3 -m benchmarks.dispatch --reminders 10000

bench-load:
	python3 -m benchmarks.load --people 50

# The conversation service alone: CPU and SQL statements per event, no Telegram (issue 20).
.PHONY: bench-service
bench-service:
	python3 -m benchmarks.service_cost --runs 5

# Time to ready and steady RSS of `ungeguide run`, SQLite and PostgreSQL (issue 20 point 3).
.PHONY: bench-startup
bench-startup:
	python3 -m benchmarks.startup --runs 5

bench-dashboard:
	python3 -m benchmarks.dashboard --people 2000 --months 24

# The admin's people list, alert inbox and half-year report with 200, 2,000 (SQLite and
# PostgreSQL) and 20,000 (PostgreSQL) young people (issue 20 point 4; figures in RESULTS.md).
.PHONY: bench-pages
bench-pages:
	python3 -m benchmarks.pages_scale --sizes 200,2000 --postgres-sizes 200,2000,20000

bench-faults:
	python3 -m benchmarks.faults_postgres --people 50
	python3 -m benchmarks.faults_telegram --people 20

# A month at national scale on a simulated clock, PostgreSQL (pgserver unless --database-url).
bench-national:
	python3 -m benchmarks.national_month --people 43000 --days 30

bench-nlu:
	python3 -m benchmarks.nlu

bench-safety:
	python3 -m benchmarks.safety

bench-typed:
	python3 -m benchmarks.typed_answers

demo:
	ungeguide chat --fresh

demo-dashboard:
	ungeguide demo && ungeguide dashboard

migration:
	python3 -c "import sys; from storage.dev import new_migration; new_migration(sys.argv[1])" "$(m)"

# Optional Rasa 3.6 NLU server, in its own venv (.rasa/venv); see scripts/rasa/.
rasa-setup:
	bash scripts/rasa/setup.sh

rasa-train:
	bash scripts/rasa/train.sh

rasa-serve:
	bash scripts/rasa/serve.sh

# Three `ungeguide run` processes (webhook mode, one PostgreSQL) behind a spreading proxy,
# 50 young people; once calm and once with a SIGKILL (figures in benchmarks/RESULTS.md).
.PHONY: bench-multiprocess
bench-multiprocess:
	python3 -m benchmarks.multiprocess --processes 3 --people 50

# The embedded NLU model shipped beside nlu_data/ (after changing the training data).
nlu-model:
	python3 -m bot.nlu.training nlu_data/nlu
