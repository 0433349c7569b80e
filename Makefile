# Two commands on a fresh machine: `make conformance` (the main job) and `make test` (everything).
# Both set up what is missing first. `make help` lists every target.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# pytest-xdist workers (make conformance WORKERS=1), and how many times a failed test runs again,
# traced (RERUNS=0: never).
WORKERS ?= auto
RERUNS ?= 1
# Python writes its bytecode caches even where the environment says not to: make test starts
# dozens of Python processes (workers, inner pytest runs, kill-matrix sessions, mock and CLI
# subprocesses), and without the caches each compiles the project and re-rewrites its tests
# anew, about 2.5 s of CPU apiece on this machine (docs/performance.md).
unexport PYTHONDONTWRITEBYTECODE

# How browser runs go: tests sharing a screen stay on one worker; a failed test runs once more,
# traced (Playwright Test's trace "on-first-retry"), and passing then makes it "flaky".
RUN_OPTIONS = --dist loadgroup --reruns $(RERUNS) --trace-reruns --screenshot=only-on-failure

.PHONY: help setup lock conformance smoke test unit lint mutants gallery durations bench mock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo "  variables: WORKERS=N (xdist workers, default auto), RERUNS=N (re-runs of a failed test, default 1), ARGS=\"...\" (pytest options)"

setup: $(STAMP) ## the virtual environment (.venv) and a Chromium to drive
	@$(PY) -m harness.browser --ensure

# Reinstall when the dependencies or their pinned versions change. constraints.txt pins every
# package (not the project itself) to the versions the suite was last run with: a fresh clone
# installs what CI installed. The venv's own pip does it (upgrading it first cost 3 s), without
# compiling every installed module: a module is compiled at its first import and cached
# (PYTHONDONTWRITEBYTECODE is unexported), so the thousands that nothing imports (Faker's
# locales, most of Hypothesis) cost nothing: 6 s less set-up (docs/performance.md).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --no-compile -c constraints.txt -e '.[bench,dev]'
	@touch $(STAMP)

lock: ## re-pin constraints.txt to the newest versions pyproject.toml allows
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -q --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install -q -e '.[bench,dev]'; \
	{ echo "# Pinned versions that make setup installs (pip install -c constraints.txt). Regenerate with: make lock"; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable; } > "$$tmp/constraints.txt"; \
	mv "$$tmp/constraints.txt" constraints.txt; \
	echo "constraints.txt: $$(grep -vc '^#' constraints.txt) packages pinned"

# A failure's first lines say what broke (harness/evidence.py); the traceback after them is short
# (no fixture reprs): ARGS=--tb=long brings the whole one back.
conformance: setup ## the main job: the conformance suite against the bundled mock, with its reports (ARGS="...", WORKERS=N, RERUNS=N)
	$(PY) -m pytest tests/conformance -n $(WORKERS) $(RUN_OPTIONS) --tb=short \
		--junitxml=reports/conformance.junit.xml --html=reports/conformance.html --self-contained-html \
		--output=reports/artifacts --summary=reports $(ARGS)

# make test's pytest is two runs at once. The tests that drive a browser, or run the suite
# themselves (slow), run on $(WORKERS) workers; the 2000 that drive none (unit, HTTP, meta: a
# sixth of the worker time, much of it spent waiting on sockets and subprocesses) run beside them
# on one worker, in the CPU time the browser run's waits leave free, and their output follows.
# mypy runs beside both at the lowest priority. Together 60 s sooner than one run after another
# (docs/performance.md). ARGS go to both runs (a -m in them replaces the split's: for a selection,
# use make conformance or pytest). Ctrl-C stops all three; a background job of make's shell would
# ignore it. The kill matrix runs only when all of them passed.
BROWSER_TESTS    = -m "browser or slow"
NO_BROWSER_TESTS = -m "not browser and not slow"
test: setup ## everything: lint, then unit, HTTP and browser tests (both skins), then the kill matrix
	$(RUFF_CHECK)
	$(RUFF_FORMAT)
	mkdir -p reports; nice -n 19 $(MYPY) > reports/mypy.txt 2>&1 & mypy=$$!; \
	$(PY) -m pytest $(NO_BROWSER_TESTS) -n 1 --dist loadgroup --reruns $(RERUNS) --fail-on-flaky \
		--junitxml=reports/tests-no-browser.junit.xml $(ARGS) > reports/tests-no-browser.txt 2>&1 & light=$$!; \
	trap 'kill $$light $$mypy 2>/dev/null; exit 130' INT TERM; \
	status=0; $(PY) -m pytest $(BROWSER_TESTS) -n $(WORKERS) $(RUN_OPTIONS) --fail-on-flaky \
		--junitxml=reports/tests.junit.xml --output=reports/test-artifacts $(ARGS) || status=$$?; \
	wait $$light || status=1; echo "The tests that drive no browser (reports/tests-no-browser.txt):"; \
	cat reports/tests-no-browser.txt; \
	wait $$mypy || status=1; echo '$(MYPY):'; cat reports/mypy.txt; exit $$status
	$(PY) -m harness.mutants --clean-junit=reports/tests.junit.xml

smoke: setup ## one registration from sign-in to result against the bundled mock: is the set-up sound?
	$(PY) -m pytest tests/conformance/test_smoke.py -n 0 --tb=short $(ARGS)

# No browser is looked for or installed here: a CI job without one passes ARGS='-m "not browser"'
# (a few of these tests drive a browser: make setup installs one).
unit: $(STAMP) ## the mock's unit and HTTP tests (ARGS='-m "not browser"' leaves out the few that drive a browser)
	$(PY) -m pytest tests/unit tests/http -n $(WORKERS) $(ARGS)

# The screen gallery (docs/gallery.md): every screen in FR, NL and DE, full page, with its axe-core
# result, in each skin of the bundled mock, into reports/gallery/ (open index.html). ARGS:
#   make gallery ARGS=--visual              compare with tests/gallery/baselines/ (fails on a difference)
#   make gallery ARGS=--update-baselines    rewrite the baselines (after an intended change)
#   make gallery ARGS="--base-url URL --target FILE --allow-mutations"   one run against that portal
GALLERY_RUN = $(PY) -m pytest tests/gallery -n $(WORKERS)
gallery: setup ## the screen gallery: every screen, language and skin, with its axe-core result (docs/gallery.md)
ifneq (,$(findstring --target,$(ARGS)))
	$(GALLERY_RUN) --html=reports/gallery/report-target.html --self-contained-html $(ARGS)
else
	@status=0; for skin in default variant; do \
		$(GALLERY_RUN) --mock-skin $$skin --html=reports/gallery/report-mock-$$skin.html --self-contained-html \
			$(ARGS) || status=$$?; \
	done; exit $$status
endif

RUFF_CHECK  = $(PY) -m ruff check .
RUFF_FORMAT = $(PY) -m ruff format --check .
MYPY        = $(PY) -m mypy
lint: setup ## ruff (lint and format check) and mypy (strict on contract, pages, certs, harness)
	$(RUFF_CHECK)
	$(RUFF_FORMAT)
	$(MYPY)

mutants: setup ## the kill matrix alone: the clean suite, then every named defect of the mock
	$(PY) -m harness.mutants

durations: setup ## record each conformance test's duration in .test_durations (pytest-split's groups)
	$(PY) -m pytest tests/conformance -n 0 -p no:randomly --store-durations --clean-durations --durations-path=.test_durations

bench: setup ## how fast: the fixture certificates, the suite against the bare happy path, what one page load costs, the mock under load
	$(PY) bench/bench_certs.py
	$(PY) bench/bench_suite.py
	$(PY) bench/bench_page_costs.py
	$(PY) bench/bench_load.py

mock: setup ## serve the bundled mock on http://127.0.0.1:8000 (mockportal --help)
	$(PY) -m mockportal

clean: ## remove the reports and caches
	rm -rf reports test-results .pytest_cache
