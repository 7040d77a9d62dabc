# kaowu — two commands: `make run` (demo on SQLite) and `make test` (ruff + suite on SQLite and PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/kaowu
# Benches make (and drop) their own databases named after this one: kaowu_bench_<bench>_<pid>.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/kaowu_bench

.PHONY: setup run serve worker test test-sqlite test-pg lint postgres redis chromium fonts bench screenshots clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

# The demo's settings are explicit: DEBUG off (as in production), plain http on 127.0.0.1, its own random keys
# (var/demo.env, made once), static files collected and served by WhiteNoise.
DEMO_ENV = set -a && . var/demo.env && set +a && DEBUG=false HTTPS=false

run: setup fonts
	bash scripts/demo-env.sh
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production-style background jobs: a Celery worker on the Redis broker (the web process needs the same
# CELERY_BROKER_URL). `make run` alone needs no worker: without a broker the jobs run in the request.
REDIS_BROKER ?= redis://127.0.0.1:6379/0
worker: setup redis fonts
	bash scripts/demo-env.sh
	$(DEMO_ENV) CELERY_BROKER_URL=$(REDIS_BROKER) $(BIN)/celery -A kaowu worker --beat --schedule=var/celerybeat-schedule --loglevel=info --concurrency=2

# The production stack on this machine: gunicorn (gthread; why not uvicorn: docs/decisions.md, issue 13) in front,
# the machine's PostgreSQL for data, Redis for cache and sessions (nothing on the hot path writes a session to the
# database) and as the broker of a Celery worker with beat (automatic hand-in at E). Ctrl-C stops both.
SERVE_PG_URL ?= postgres://postgres@127.0.0.1:5432/kaowu_serve
SERVE_ENV = $(DEMO_ENV) DATABASE_URL=$(SERVE_PG_URL) REDIS_URL=redis://127.0.0.1:6379/1 CELERY_BROKER_URL=$(REDIS_BROKER)
WEB_WORKERS ?= 3
WEB_THREADS ?= 8
serve: setup postgres redis fonts
	bash scripts/demo-env.sh
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(SERVE_PG_URL))'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres $(notdir $(SERVE_PG_URL))
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py seed_demo
	$(SERVE_ENV) bash -c 'trap "kill 0" EXIT; \
	  $(BIN)/celery -A kaowu worker --beat --schedule=var/celerybeat-schedule --loglevel=warning --concurrency=2 & \
	  $(BIN)/gunicorn kaowu.wsgi -b 127.0.0.1:$(PORT) -w $(WEB_WORKERS) -k gthread --threads $(WEB_THREADS) \
	    --access-logfile - --log-level warning'

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test-sqlite: setup redis chromium fonts
	$(BIN)/pytest

test-pg: setup postgres redis chromium fonts
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: lint test-sqlite test-pg

postgres:
	bash scripts/ensure-postgres.sh

redis:
	bash scripts/ensure-redis.sh

chromium:
	bash scripts/ensure-chromium.sh

# The CJK serif of the official printouts (Debian fonts-noto-cjk); the sans face is a PyPI package.
fonts:
	bash scripts/ensure-fonts.sh

bench: setup fonts
	@for f in bench/[a-z]*.py; do $(BIN)/python "$$f" || echo "$$f failed (db=sqlite)"; done
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  for f in bench/[a-z]*.py; do DATABASE_URL=$(BENCH_PG_URL) $(BIN)/python "$$f" || echo "$$f failed (db=postgresql)"; done; \
	else echo "PostgreSQL is not up: db=postgresql lines skipped"; fi

screenshots: setup
	bash scripts/screenshots.sh
	bash scripts/screenshots_registration.sh
	bash scripts/screenshots_arrangement.sh

clean:
	rm -rf $(VENV) var .pytest_cache
