"""Edge-case text: exact lengths, awkward names, hostile strings fit for parametrizing."""

import unicodedata

import pytest

from fixtures import edge


@pytest.mark.parametrize("n", [0, 1, 59, 60, 61, 254, 255])
@pytest.mark.parametrize("base", ["Vandenbroucke", "Éloïse-Thérèse ", " a ", "王"])
def test_of_length_is_exact_and_untrimmable(n, base):
    text = edge.of_length(n, base)
    assert len(text) == n
    assert text == text.strip()
    assert len(text.encode("utf-16-le")) // 2 == n  # BMP only: same count for maxlength


def test_sixty_and_sixty_one():
    assert len(edge.SIXTY) == len(edge.SIXTY_ACCENTED) == 60
    assert len(edge.SIXTY_ONE) == len(edge.SIXTY_ONE_ACCENTED) == 61
    assert len(edge.SIXTY_ACCENTED.encode()) > 60  # a byte-counting portal would refuse it
    assert edge.SIXTY_PADDED.strip() == edge.SIXTY and len(edge.SIXTY_PADDED) > 60
    with pytest.raises(ValueError):
        edge.of_length(5, "   ")


def test_edge_names_are_acceptable_input():
    ids = [n.id for n in edge.NAMES]
    assert len(ids) == len(set(ids))
    scripts = {unicodedata.name(ch).split()[0] for n in edge.NAMES for ch in n.last_name if ch.isalpha()}
    assert {"LATIN", "GREEK", "CYRILLIC", "CJK", "ARABIC", "HEBREW"} <= scripts
    assert any("'" in n.last_name for n in edge.NAMES)
    assert any("-" in n.first_name for n in edge.NAMES)
    for n in edge.NAMES:
        for value in (n.last_name, n.first_name):
            assert 0 < len(value) <= 60 and value == value.strip()
            assert unicodedata.normalize("NFC", value) == value


def test_hostile_strings_are_complete():
    names = [h.name for h in edge.HOSTILE]
    assert len(names) == len(set(names)) and set(edge.HOSTILE_BY_NAME) == set(names)
    values = {h.value for h in edge.HOSTILE}
    for needed in (
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "'; DROP TABLE contacts; --",
        "{{7*7}}",
    ):
        assert needed in values
    assert any("\u202e" in v for v in values) and any("\x00" in v for v in values)
    assert any("&amp;" in v for v in values)
    assert all(h.note for h in edge.HOSTILE)


@pytest.mark.parametrize("hostile", edge.ROUND_TRIPPING, ids=lambda h: h.name)
def test_round_tripping_strings_can_be_typed_back(hostile):
    value = hostile.value
    assert 0 < len(value.encode("utf-16-le")) // 2 <= 60  # CONTACT-7 accepts it whatever counts
    assert value == value.strip()
    assert unicodedata.normalize("NFC", value) == value
    # nothing a browser would drop or a compliant portal may strip
    assert not any(unicodedata.category(ch) == "Cc" for ch in value)
    bidi_and_invisible = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b"
    assert not any(ch in value for ch in bidi_and_invisible)


def test_non_round_tripping_strings_say_why():
    for h in edge.HOSTILE:
        if not h.round_trips:
            odd = (
                any(unicodedata.category(ch) in ("Cc", "Cf") for ch in h.value)
                or unicodedata.normalize("NFC", h.value) != h.value
            )
            assert odd, h.name
