"""Root conftest: the suite's options, hooks and fixtures are the harness's plugins'.

Listed here in the order that imports each before any other imports it (pytest rewrites the
asserts of a plugin module it imports itself, and warns about one imported already).
"""

from importlib.util import find_spec

# Allure results (--alluredir) only where allure-pytest is installed (the `allure` extra): a run
# without it is unaffected.
HARNESS = [
    "harness.leases",
    "harness.gallery",
    "harness.selection",
    "harness.report",
    "harness.plugin",
    "harness.schedule",
]
pytest_plugins = [*HARNESS, *(["harness.allure_results"] if find_spec("allure_pytest") else [])]
