# Two entry points, each working from a fresh clone on a fresh machine:
#   make app    installs what the app needs (once) and serves it at http://127.0.0.1:7860
#   make test   installs what the tests need (once) and runs the whole suite
# The virtual environment lives outside the clone, keyed by a hash of the requirements files, so a
# second run (or CI on the same machine) reuses it.
SHELL := /bin/bash
REQS := requirements.txt requirements-dev.txt
HASH := $(shell cat $(REQS) | sha256sum | cut -c1-16)
VENV ?= $(HOME)/.cache/cnnlab/venv-$(HASH)
PY := $(VENV)/bin/python

.PHONY: app test venv chromium

venv: $(VENV)/.installed

$(VENV)/.installed: $(REQS)
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
