# wardnews: `make run` serves the demo ward, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install check format demo e2e-assets clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# axe-core and the Nu HTML checker for the browser tests (package.json).
e2e-assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_roles
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin --site http://$(HOST):$(PORT)

run: demo
	@echo "Trang tin đang chạy tại http://$(HOST):$(PORT)/ (Ctrl+C để dừng)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style serving on this machine: gunicorn, DEBUG off, WhiteNoise's
# compressed hashed static files, persistent database connections. Values
# below are local-only defaults for a demo over plain HTTP on 127.0.0.1; a
# real deployment sets its own (docs/deploy.md).
WORKERS ?= 2
SERVE_ENV = DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/serve-secret-key)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_CONN_MAX_AGE="$${DJANGO_CONN_MAX_AGE:-600}" \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" \
	DJANGO_SECURE_HSTS_SECONDS="$${DJANGO_SECURE_HSTS_SECONDS:-0}" \
	WARDNEWS_SERVE_MEDIA="$${WARDNEWS_SERVE_MEDIA:-1}"

serve: demo
	@test -s var/serve-secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/serve-secret-key
	$(SERVE_ENV) $(PY) manage.py check --deploy --fail-level ERROR
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo "Trang tin (gunicorn, $(WORKERS) tiến trình) tại http://$(HOST):$(PORT)/ (Ctrl+C để dừng)"
	$(SERVE_ENV) $(PY) -m gunicorn wardnews.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - --max-requests 5000 --max-requests-jitter 500

test: install
	$(PY) -m pytest

check: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
