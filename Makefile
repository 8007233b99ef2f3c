# Template tooling. Needs only Python 3 (with venv) and pip on the machine.
#
#   make test    bake projects and run their checks (the template's test suite)
#   make demo    bake the default project into ./demo and serve it on :8000
#   make bench   bake time, the baked suite's time and size, CSV export memory,
#                request latency with a slow mail server (Redis, PostgreSQL),
#                the API's and the pages' requests per second (gunicorn, wrk)
#   make lint    ruff on the template's own Python
#   make clean   remove .venv, ./demo and caches in this folder

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
BAKE_STAMP := $(VENV)/.stamp-bake
TEST_STAMP := $(VENV)/.stamp-test
# Two workers: the Python 3.11 and 3.12 runs of the baked checks go side by
# side (tests sharing a virtual environment stay in one xdist_group).
# PYTEST_WORKERS=0 runs in one process; PYTEST_ARGS adds arguments.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

DEMO := demo
DEMO_VENV := $(DEMO)/.venv
DEMO_STAMP := $(DEMO_VENV)/.stamp-install

.PHONY: help test demo bench lint format clean clean-cache

help:
	@sed -n '3,10p' Makefile

$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changes.
$(BAKE_STAMP): pyproject.toml | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet --upgrade pip
	$(VENV_PY) -m pip install --quiet --group bake
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet --upgrade pip
	$(VENV_PY) -m pip install --quiet --group test
	touch $@

test: $(TEST_STAMP)
	$(VENV_PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check hooks tests scripts
	$(VENV)/bin/ruff format --check hooks tests scripts

format: $(TEST_STAMP)
	$(VENV)/bin/ruff check --fix hooks tests scripts
	$(VENV)/bin/ruff format hooks tests scripts

bench: $(TEST_STAMP)
	$(VENV_PY) scripts/bench.py

# The demo is baked once; delete ./demo (or run `make clean`) to bake afresh.
$(DEMO)/manage.py: | $(BAKE_STAMP)
	@test ! -e $(DEMO) || { echo "./$(DEMO) is not a baked project: remove it" >&2; exit 1; }
	rm -rf .demo-bake
	@echo "$(VENV)/bin/cookiecutter . --no-input --output-dir .demo-bake"
	@out=$$($(VENV)/bin/cookiecutter . --no-input --output-dir .demo-bake) \
		|| { echo "$$out"; exit 1; }
	mv .demo-bake/*/ $(DEMO)
	rmdir .demo-bake
	@echo "Baked the default project into ./$(DEMO)"

$(DEMO_STAMP): $(DEMO)/manage.py $(DEMO)/pyproject.toml
	test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	cd $(DEMO) && PATH="$(CURDIR)/$(DEMO_VENV)/bin:$$PATH" \
		$(MAKE) install PYTHON="$(CURDIR)/$(DEMO_VENV)/bin/python"
	touch $@

# SQLite in demo/, whatever DATABASE_URL the shell has.
demo: $(DEMO_STAMP)
	cd $(DEMO) && unset DATABASE_URL DJANGO_SETTINGS_MODULE && \
		export PATH="$(CURDIR)/$(DEMO_VENV)/bin:$$PATH" && \
		python manage.py migrate && \
		python manage.py seed_demo && \
		python manage.py runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) $(DEMO) .demo-bake .pytest_cache .ruff_cache
	find hooks tests scripts -name __pycache__ -type d -prune -exec rm -rf {} +

# Virtual environments kept by `python tests/baked_env.py` run by hand (a test
# run keeps none; uv's wheel cache is `uv cache clean`'s business).
clean-cache:
	rm -rf "$${XDG_CACHE_HOME:-$$HOME/.cache}/cookiecutter-django-layered"
