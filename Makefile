# Two entry points, each working from a fresh clone on a fresh machine:
#   make app    installs what the app needs (once) and serves it at http://127.0.0.1:7860
#   make test   installs what the tests need (once) and runs the whole suite (then, where Python 3.12 is
#               installed, the suite without its browser tests under 3.12, the Space's version)
# The virtual environment lives outside the clone, keyed by a hash of the requirements files, so a
# second run (or CI on the same machine) reuses it.
SHELL := /bin/bash
REQS := requirements.txt requirements-dev.txt
HASH := $(shell cat $(REQS) | sha256sum | cut -c1-16)
VENV ?= $(HOME)/.cache/cnnlab/venv-$(HASH)
PY := $(VENV)/bin/python
# The Space runs Python 3.12 (ZeroGPU accepts only 3.10 and 3.12): the tests run under it too, when it is here.
PYTHON312 ?= $(shell ls -d $(HOME)/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -1 || true)$(if $(wildcard $(HOME)/.pyenv/versions/3.12*),,$(shell command -v python3.12 2>/dev/null))
VENV312 ?= $(HOME)/.cache/cnnlab/venv312-$(HASH)

.PHONY: app test test312 venv chromium

venv: $(VENV)/.installed

# No prerequisites: the folder name carries the hash of the requirements, so a fresh clone (new mtimes)
# reuses the cached environment instead of rebuilding it.
$(VENV)/.installed:
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -r requirements-dev.txt
	touch $@

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk; }

app: venv
	$(PY) app.py

test: venv chromium
	$(PY) -m pytest -q
	@if [ -n "$(PYTHON312)" ]; then $(MAKE) --no-print-directory test312; else echo "python3.12 not found: the 3.12 run is skipped"; fi

$(VENV312)/.installed:
	rm -rf $(VENV312)
	$(PYTHON312) -m venv $(VENV312)
	$(VENV312)/bin/python -m pip install -q --upgrade pip
	$(VENV312)/bin/python -m pip install -q -r requirements-dev.txt
	touch $@

# Python 3.12, the Space's version: everything but the browser tests (those ran above, against the same code).
test312: $(VENV312)/.installed
	$(VENV312)/bin/python -m pytest -q -m "not browser" -p no:cacheprovider
