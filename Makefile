# Two commands on a fresh machine: `make conformance` (the main job) and `make test` (everything).
# Both set up what is missing first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
WORKERS ?= auto

.PHONY: setup conformance test unit mutants bench mock certs clean

setup: $(STAMP)
	@$(PY) -m harness.browser --ensure

# Reinstall when the dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[bench]'
	@touch $(STAMP)

# The main job: the conformance scenarios against the bundled portal, with the report.
conformance: setup
	$(PY) -m pytest tests/conformance -n $(WORKERS) \
		--junitxml=reports/conformance.junit.xml --html=reports/conformance.html --self-contained-html \
		--output=reports/artifacts --tracing=retain-on-failure --screenshot=only-on-failure

# Everything: unit, HTTP and browser tests, then the kill matrix. No traces here (they cost
# about a fifth of each browser test); the kill matrix reads this run as its clean run.
test: setup
	$(PY) -m pytest -n $(WORKERS) --junitxml=reports/tests.junit.xml --output=reports/test-artifacts
	$(PY) -m harness.mutants --clean-junit=reports/tests.junit.xml

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
