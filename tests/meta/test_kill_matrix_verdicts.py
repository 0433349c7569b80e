"""The kill matrix's verdicts: survivors fail it, stale expected survivors fail it too."""

from harness.mutants import Row, find_problems, load_survivors


def row(name, caught, survivor=None, problem=None):
    return Row(name, "CONTACT-7", "d", caught=caught, expected_survivor=survivor, problem=problem)


def test_all_caught_and_clean_passes():
    assert find_problems([row("a", True), row("b", True)], True, {}, {"a", "b"}) == []


def test_a_survivor_fails():
    problems = find_problems([row("a", False)], True, {}, {"a"})
    assert problems == ["a (CONTACT-7) survived"]


def test_an_expected_survivor_is_honoured():
    assert find_problems([row("a", False, survivor="why")], True, {"a": "why"}, {"a"}) == []


def test_an_expected_survivor_that_is_caught_fails():
    problems = find_problems([row("a", True, survivor="why")], True, {"a": "why"}, {"a"})
    assert len(problems) == 1 and "is listed as an expected survivor but is caught" in problems[0]


def test_an_unknown_expected_survivor_fails():
    assert find_problems([], True, {"gone": "why"}, {"a"}) == ["gone in expected-survivors.toml is not a defect"]


def test_a_failing_clean_run_and_a_broken_run_fail():
    problems = find_problems([row("a", False, problem="exit 4")], False, {}, {"a"})
    assert problems == ["the clean portal does not pass the suite", "a: the run broke: exit 4"]


def test_survivors_file_needs_reasons(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[[survivor]]\ndefect = "a"\nreason = "the suite cannot see the log"\n')
    assert load_survivors(path) == {"a": "the suite cannot see the log"}
    path.write_text('[[survivor]]\ndefect = "a"\n')
    try:
        load_survivors(path)
    except SystemExit as error:
        assert "needs a reason" in str(error)
    else:
        raise AssertionError("an entry without a reason was accepted")


def test_the_committed_file_parses():
    from harness.mutants import SURVIVORS_FILE

    assert isinstance(load_survivors(SURVIVORS_FILE), dict)


def test_a_clean_run_is_read_from_junit(tmp_path):
    from harness.mutants import clean_result_from

    junit = tmp_path / "j.xml"
    junit.write_text(
        '<testsuites><testsuite><testcase classname="tests.conformance.test_a" name="t1"/>'
        '<testcase classname="tests.unit.test_b" name="t2"><failure/></testcase></testsuite></testsuites>'
    )
    assert clean_result_from(junit)[0] is True  # a unit failure is not the clean portal's
    junit.write_text(
        '<testsuites><testsuite><testcase classname="tests.conformance.test_a" name="t1">'
        "<failure/></testcase></testsuite></testsuites>"
    )
    assert clean_result_from(junit) == (False, "failed against the clean portal: tests.conformance.test_a::t1")
    junit.write_text(
        '<testsuites><testsuite><testcase classname="tests.unit.test_b" name="t2"/></testsuite></testsuites>'
    )
    assert clean_result_from(junit)[0] is False
    assert clean_result_from(tmp_path / "missing.xml")[0] is False


def test_every_defect_has_a_hint_naming_a_test_that_exists():
    """A defect without a hint, or with one whose test was renamed, costs the kill matrix its
    rule's tests in turn until one fails (seconds each, in every make test): refresh them with
    ``python -m harness.mutants --write-hints``."""
    import json
    import re

    from harness.mutants import HINTS_FILE, ROOT
    from mockportal.defects import DEFECTS

    hints = json.loads(HINTS_FILE.read_text(encoding="utf-8"))
    assert sorted(set(DEFECTS) - set(hints)) == [], "defects without a hint"
    assert sorted(set(hints) - set(DEFECTS)) == [], "hints for no defect"
    for defect, nodeid in hints.items():
        path, function = nodeid.split("[")[0].split("::")
        source = (ROOT / path).read_text(encoding="utf-8") if (ROOT / path).exists() else ""
        assert re.search(rf"^def {function}\(", source, re.MULTILINE), f"{defect}: no test {nodeid}"
