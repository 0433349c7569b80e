"""The suite's harness: where the portal under test comes from, which browser drives it,
and what a run leaves behind (reports, traces). Loaded as a pytest plugin by conftest.py."""
