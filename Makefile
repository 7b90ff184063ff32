# The two commands a person needs: `make lab` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: lab test setup setup-test browser-deps torch bench unit thumbnails clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e ".[lab]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e ".[lab,test]"
	touch $@

# JupyterLab without its "fetch news?" prompt and update check: the overrides file the wheel installs too
# (an editable install does not install data files, so it is copied here).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d/nnlearn.json
$(LAB_OVERRIDES): jupyter-config/nnlearn.json | $(VENV)/bin/python
	mkdir -p $(dir $@)
	cp $< $@

setup: $(VENV)/.lab-installed $(LAB_OVERRIDES)

setup-test: $(VENV)/.test-installed $(LAB_OVERRIDES)

## make lab: set up and open the lessons in JupyterLab
# With nnlearn.cli.server_options(): widget messages do not flip the page's kernel status (its docstring says why).
lab: setup
	$(VENV)/bin/jupyter lab $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) \
		$$($(PY) -c 'from nnlearn.cli import server_options; print(*server_options())') lessons/00_start_here.ipynb

# PyTorch is optional: the reference tests and benchmarks use it when it is there. Only the local CPU build
# is taken (--no-index first), never a multi-gigabyte download from the registry.
torch: setup-test
	@if $(PY) -c "import torch" 2>/dev/null; then echo "torch already installed"; \
	elif $(PIP) install --no-index --no-deps "torch==2.13.0" >/dev/null 2>&1; then \
		$(PIP) install "torch==2.13.0"; \
	else echo "No local torch 2.13.0 build: the PyTorch reference tests will be skipped."; fi

# Debian's chromium for the browser tests (never playwright's own browser download).
browser-deps:
	@if [ -x /usr/bin/chromium ]; then echo "chromium present"; \
	elif command -v apt-get >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; \
	else echo "No apt-get: install chromium by hand for the browser tests."; fi

## make test: set up and run the whole suite (unit tests, lessons under nbval, browser tests)
test: setup-test torch browser-deps
	$(PY) -m pytest -p no:cacheprovider tests lessons --nbval-lax --nbval-current-env --nbval-cell-timeout=300 -q

unit: setup-test
	$(PY) -m pytest tests -q -m "not browser"

bench: setup-test torch browser-deps
	$(PY) benchmarks/run.py

thumbnails: setup-test
	$(PY) scripts/thumbnails.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
