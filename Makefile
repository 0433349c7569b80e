# Two commands on a fresh machine: `make conformance` (the main job) and `make test` (everything).
# Both set up what is missing first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
WORKERS ?= auto

.PHONY: setup conformance test unit mutants bench mock certs clean gallery

setup: $(STAMP)
	@$(PY) -m harness.browser --ensure

# Reinstall when the dependencies or their pinned versions change. constraints.txt pins every
# package (not the project itself) to the versions the suite was last run with: a fresh clone
# installs what CI installed.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[bench,dev]'
	@touch $(STAMP)

# Re-pin constraints.txt to the newest versions pyproject.toml allows, resolved in a throwaway
# environment (the working .venv may hold leftovers). Then `make setup` and run the tests.
.PHONY: lock
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -q --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install -q -e '.[bench,dev]'; \
	{ echo "# Pinned versions that make setup installs (pip install -c constraints.txt). Regenerate with: make lock"; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable; } > "$$tmp/constraints.txt"; \
	mv "$$tmp/constraints.txt" constraints.txt; \
	echo "constraints.txt: $$(grep -vc '^#' constraints.txt) packages pinned"

# How browser runs go: tests sharing a screen stay on one worker; a failed test runs once more,
# traced (Playwright Test's trace "on-first-retry"), and passing then makes it "flaky".
RUN_OPTIONS := --dist loadgroup --reruns 1 --trace-reruns --screenshot=only-on-failure

# The main job: the conformance scenarios against the bundled portal, with the report.
# ARGS passes more pytest arguments: make conformance ARGS="--rule CERT-5 -v"
conformance: setup
	$(PY) -m pytest tests/conformance -n $(WORKERS) $(RUN_OPTIONS) \
		--junitxml=reports/conformance.junit.xml --html=reports/conformance.html --self-contained-html \
		--output=reports/artifacts $(ARGS)

# Everything: unit, HTTP and browser tests (a flaky one fails the run), then the kill matrix,
# which reads this run as its clean run.
test: setup
	$(PY) -m pytest -n $(WORKERS) $(RUN_OPTIONS) --fail-on-flaky --junitxml=reports/tests.junit.xml \
		--output=reports/test-artifacts $(ARGS)
	$(PY) -m harness.mutants --clean-junit=reports/tests.junit.xml

# The screen gallery (docs/gallery.md): every screen in FR, NL and DE, full page, with its axe-core
# result, in each skin of the bundled mock, into reports/gallery/ (open index.html). ARGS:
#   make gallery ARGS=--visual              compare with tests/gallery/baselines/ (fails on a difference)
#   make gallery ARGS=--update-baselines    rewrite the baselines (after an intended change)
#   make gallery ARGS="--base-url URL --target FILE --allow-mutations"   one run against that portal
GALLERY_RUN = $(PY) -m pytest tests/gallery -n $(WORKERS)
gallery: setup
ifneq (,$(findstring --target,$(ARGS)))
	$(GALLERY_RUN) --html=reports/gallery/report-target.html --self-contained-html $(ARGS)
else
	@status=0; for skin in default variant; do \
		$(GALLERY_RUN) --mock-skin $$skin --html=reports/gallery/report-mock-$$skin.html --self-contained-html \
			$(ARGS) || status=$$?; \
	done; exit $$status
endif

unit: setup
	$(PY) -m pytest tests/unit tests/http

mutants: setup
	$(PY) -m harness.mutants

bench: setup
	$(PY) bench/bench_certs.py
	$(PY) bench/bench_suite.py

mock: setup
	$(PY) -m mockportal

clean:
	rm -rf reports test-results .pytest_cache
