# Two entry points: `make lab` (set up, open the lessons) and `make test` (set up, run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -e ".[test]"
	touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab lessons/00-start-here.ipynb

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV)
