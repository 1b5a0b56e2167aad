# One task runner. Every target sets up what it needs first (scripts/setup.sh is idempotent and fast when done).
.PHONY: help setup demo test lint bench bundle lab-up lab-down pg-up pg-down
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

help:
	@echo "targets: demo test lint bench bundle setup lab-up lab-down pg-up pg-down"

setup:
	@scripts/setup.sh

demo: setup
	@scripts/demo.sh

test: setup
	@scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy app cti

bench: setup
	@scripts/bench.sh

bundle: setup
	@installer/build.sh

lab-up: setup
	@asterisk-conf/lab up

lab-down:
	@asterisk-conf/lab down

pg-up: setup
	@scripts/pg.sh up

pg-down:
	@scripts/pg.sh down
