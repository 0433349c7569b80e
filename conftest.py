"""Root conftest: the suite's options, hooks and fixtures are the harness plugin's."""

from importlib.util import find_spec

# Allure results (--alluredir) only where allure-pytest is installed (the `allure` extra): a run
# without it is unaffected.
pytest_plugins = ["harness.plugin", *(["harness.allure_results"] if find_spec("allure_pytest") else [])]
