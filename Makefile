# Two entry points (see README): `make demo` and `make test`. Everything else is a helper.
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test venv lint bench bench-imports bench-mail cluster clean messages fuzz audit scan

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

# The demo runs on its own SQLite file, with mail printed to the console and the task worker beside the server.
demo: export DATABASE_URL = sqlite:///$(CURDIR)/demo.sqlite3
demo: export EMAIL_URL = console://
demo: export DEBUG = 1
demo: export SITE_URL = http://$(HOST):$(PORT)
demo: venv
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) seed_demo
	$(MANAGE) db_worker --no-reload --interval 1 & trap 'kill $$!' EXIT INT TERM; \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

# A throwaway key: with DEBUG off the settings refuse to start without one.
test: export SECRET_KEY = tests-only-secret-key-not-for-production
test: venv
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Hypothesis fuzzing of every form with 1,000 inputs each (the test run's default is 50): see docs/security.md.
fuzz: export SECRET_KEY = tests-only-secret-key-not-for-production
fuzz: venv
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1000} $(VENV)/bin/pytest -q tests/test_fuzz_forms.py

bench: venv
	$(PY) bench/run.py

# Two gunicorn nodes and a worker behind nginx on one PostgreSQL and Redis; a node is killed mid-run (CI runs it).
cluster: venv
	$(PY) scripts/cluster.py

# The production configuration behind nginx with TLS: check --deploy, headers, MDN's HTTP Observatory (A+; CI runs it).
audit: venv
	$(PY) scripts/audit.py

# An authenticated wapiti scan as a parent and as staff (slow: not in CI); the summary is in docs/security.md.
scan: venv
	$(PY) scripts/wapiti_scan.py

# The import pipeline at board scale; PG_URL (a database it may empty) adds the PostgreSQL run.
bench-imports: venv
	$(PY) bench/imports.py $(if $(PG_URL),--postgres $(PG_URL))

# A letter to 10,000 guardians: seconds to queue, one worker's mails/s beside a plain smtplib loop (bench/mail.py), on
# SQLite; PG_URL (a database it may empty) adds PostgreSQL. Ends with the table of docs/benchmarks.md.
bench-mail: venv
	$(PY) bench/mail.py $(if $(PG_URL),--postgres $(PG_URL))

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

messages: venv
	DEBUG=1 $(MANAGE) makemessages -l en --ignore .venv --ignore e2e --ignore tests --ignore test-output
	DEBUG=1 $(MANAGE) compilemessages --ignore .venv

clean:
	rm -rf $(VENV) demo.sqlite3 test-output
