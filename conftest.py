"""Root conftest: the suite's fixtures live in the harness plugin (target, browser, reports)."""
pytest_plugins = ["harness.plugin"]
