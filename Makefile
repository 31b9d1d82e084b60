# Two entry points: `make lab` (set up, open the lessons) and `make test` (set up, run every test).
# `make bench` measures the lessons' speed and memory (see benchmarks/run.py; options: make bench BENCH_ARGS="--with-tests --class-size 30").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test browser bench setup clean

# The package is installed editable, so its modules are compiled here: uv's --compile-bytecode only reaches
# site-packages, and where PYTHONDONTWRITEBYTECODE is set every kernel would otherwise compile them anew on
# import (about 60 ms a kernel start here). compileall skips modules whose bytecode is up to date.
setup: $(STAMP)
	$(BIN)/python -m compileall -q src

# tools/uv-overrides.txt keeps rfc3987-syntax out (it costs every nbformat import 2-3 s); uv pip install never
# removes a package, so the uninstall drops it from an older setup (and does nothing otherwise).
$(STAMP): pyproject.toml tools/uv-overrides.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --override tools/uv-overrides.txt -e ".[test]"
	$(BIN)/uv pip uninstall --quiet --python $(BIN)/python rfc3987-syntax
	touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) lessons/00-start-here.ipynb

test: setup browser
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium; install it when missing and we may (CI runs as root).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: run 'sudo apt-get install chromium' (they are skipped without it)."; \
	  fi; }

bench: setup
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV)
