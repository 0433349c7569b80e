"""Root conftest: the suite's options, hooks and fixtures are the harness plugin's."""

pytest_plugins = ["harness.plugin"]
