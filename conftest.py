"""Root conftest: the suite's fixtures live in the harness plugin (target, browser, reports)."""
pytest_plugins = [
    "harness.plugin",  # target, browser, per-test employers and sessions
    "harness.artifacts",  # --output wiped once, secrets masked in traces and reports
    "harness.remote",  # --connect-ws: remote browsers
    "harness.target_file",  # a --target portal: --allow-mutations, --remove-existing-configuration
    "harness.progress",  # rule ids next to results, counts by rule
    "harness.report",  # JUnit properties, the HTML report's columns and facts
]
