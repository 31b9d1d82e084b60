# Two entry points: `make lab` (set up, open the student edition of the lessons) and `make test` (set up, run every test).
# `make lab-instructor` opens lessons/ itself, the instructor edition. Both pass LAB_ARGS on to JupyterLab
# (e.g. make lab LAB_ARGS="--no-browser --port=8890").
# `make bench` measures the lessons' speed and memory (see benchmarks/run.py; options: make bench BENCH_ARGS="--with-tests --class-size 30").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The student edition `make lab` opens (git-ignored, rebuilt from lessons/: never edit it by hand).
STUDENT := student-edition
LAB_ARGS ?=
ALLOW_ROOT = $$([ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: lab lab-instructor test browser bench setup clean

# The package is installed editable, so its modules are compiled here: uv's --compile-bytecode only reaches
# site-packages, and where PYTHONDONTWRITEBYTECODE is set every kernel would otherwise compile them anew on
# import (about 60 ms a kernel start here). compileall skips modules whose bytecode is up to date.
setup: $(STAMP)
	$(BIN)/python -m compileall -q src

# tools/uv-overrides.txt keeps rfc3987-syntax out (it costs every nbformat import 2-3 s); uv pip install never
# removes a package, so the uninstall drops it from an older setup (and does nothing otherwise).
# The JupyterLab extension is copied into the environment at install (pyproject's shared-data), so a change to it
# installs again.
$(STAMP): pyproject.toml tools/uv-overrides.txt $(wildcard src/trotsky_edu/labextension/*.json src/trotsky_edu/labextension/static/*)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --override tools/uv-overrides.txt -e ".[test]"
	$(BIN)/uv pip uninstall --quiet --python $(BIN)/python rfc3987-syntax
	touch $(STAMP)

# The student edition: solutions, instructor notes and answer keys removed (trotsky-edu student-copy). Rebuilt only
# when a lesson, course.toml or index.md changed (or the code that strips them); the old notebooks are removed
# first, so a lesson dropped from course.toml does not linger. Students' answers live in their progress file.
$(STUDENT)/.built: $(wildcard lessons/*.ipynb) lessons/course.toml lessons/index.md \
                   src/trotsky_edu/lessonkit/studentcopy.py src/trotsky_edu/lessonkit/cells.py | $(STAMP)
	rm -f $(STUDENT)/*.ipynb $(STUDENT)/index.md
	$(BIN)/trotsky-edu student-copy --lessons lessons --out $(STUDENT) --force
	touch $@

# Opening a notebook makes its folder JupyterLab's root, so students see the student edition only.
lab: setup $(STUDENT)/.built
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) $(STUDENT)/00-start-here.ipynb

# The instructor edition: lessons/ itself, with instructor notes, solutions and answer keys.
lab-instructor: setup
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) lessons/00-start-here.ipynb

# Node tools from package.json (package-lock.json pins them): configurable-http-proxy, the proxy of the JupyterHub
# the hub tests start with deploy/jupyterhub_config.py.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# axe-core, the accessibility engine the browser tests run on every page (tests/test_browser_lessons.py), installed
# when missing into the git-ignored tools/axe/, apart from package.json's tools so that their `npm ci` leaves it alone.
AXE := tools/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --prefix tools/axe --no-save --no-audit --no-fund --silent axe-core@4.14.1

test: setup browser $(NODE_STAMP) $(AXE)
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
