"""Page objects rely on contract §3 only: no CSS class, id, tag name, test id or XPath used as a
locator, and no address typed but the entry point. Read from the source with ``ast``, so a new
page object cannot slip one in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[2] / "pages"
# Raw selectors §3 itself names: the page's <html lang> (the language) and aria-invalid (a
# faulty input). Everything else is found by role, label, text or title.
ALLOWED_SELECTORS = {
    "html": "§3: <html lang> tells the language",
    '[aria-invalid="true"]': "§3: a faulty input has aria-invalid",
    ":focus-within": "A11Y-3: where the focus is, a state of the page and not its markup",
}
SELECTOR_CALLS = {
    "locator",
    "query_selector",
    "query_selector_all",
    "wait_for_selector",
    "frame_locator",
    "eval_on_selector",
    "eval_on_selector_all",
    "get_by_test_id",
    "dispatch_event",
}
ADDRESS_CALLS = {"goto", "wait_for_url", "to_have_url"}


def module_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (a selector may be named once and reused)."""
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
    return constants


def selector_uses() -> list[tuple[str, int, str, str]]:
    """(file, line, call, first argument as source) for every selector or address call in pages/."""
    uses = []
    for path in sorted(PAGES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants: dict[str, str] = {}
        for name in ("regions.py",):  # selectors named in one module and imported by others
            constants.update(module_constants(ast.parse((PAGES / name).read_text(encoding="utf-8"))))
        constants.update(module_constants(tree))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            call = node.func.attr
            if call not in SELECTOR_CALLS | ADDRESS_CALLS:
                continue
            argument = node.args[0] if node.args else None
            if isinstance(argument, ast.Name) and argument.id in constants:
                text = constants[argument.id]
            elif isinstance(argument, ast.Constant):
                text = str(argument.value)
            else:
                text = ast.unparse(argument) if argument is not None else ""
            uses.append((path.name, node.lineno, call, text))
    return uses


def test_the_scan_finds_the_calls_it_looks_for() -> None:
    found = selector_uses()
    assert any(call == "locator" for _, _, call, _ in found)  # the two allowed selectors, at least
    assert any(call == "goto" for _, _, call, _ in found)  # the entry point


@pytest.mark.parametrize("where, line, call, argument", selector_uses())
def test_page_objects_locate_only_as_section_3_allows(where, line, call, argument) -> None:
    place = f"pages/{where}:{line} {call}({argument})"
    if call in ADDRESS_CALLS:
        # The entry point only: the base URL followed by "/", never another address.
        assert call == "goto" and "base_url" in argument and argument.replace('"', "'").endswith("+ '/'"), place
    else:
        assert call == "locator" and argument in ALLOWED_SELECTORS, (
            f"{place}: locate by role, label or text (contract §3), not by a CSS class, id, tag name, test id or XPath"
        )


def test_no_page_object_uses_xpath_or_css_engines() -> None:
    for path in PAGES.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for engine in ("xpath=", "css=", "//", "data-test"):
            assert engine not in text.replace("http://", "").replace("https://", ""), (path.name, engine)


def _methods(path: Path) -> list[tuple[str, ast.FunctionDef]]:
    """(class name, method) for every method of a class in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.name, item)
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        for item in node.body
        if isinstance(item, ast.FunctionDef)
    ]


def _calls(function: ast.FunctionDef) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def test_clicking_through_to_a_screen_is_written_once() -> None:
    """Click, build the next screen, expect it loaded: ``Screen._go``; pressing a button the
    portal may refuse: ``_submit`` and ``_submit_expecting_errors``. Every action goes through them."""
    writing_it = {
        f"{cls}.{method.name}"
        for cls, method in _methods(PAGES / "screens.py")
        if {"click", "loaded"} <= _calls(method)
    }

    assert writing_it == {"Screen._go", "Screen._submit", "Screen._submit_expecting_errors"}


def test_a_screen_says_how_it_is_told_apart_by_its_title_or_marker() -> None:
    """docs/page-objects.md: override ``marker`` (or the ``title``); ``loaded()`` only where
    neither says it alone (a wizard step: the step list's current item)."""
    overriding = {cls for path in PAGES.glob("*.py") for cls, method in _methods(path) if method.name == "loaded"}

    assert overriding == {"Screen", "WizardStep"}
