"""The quality banner as a person reads it (contract §3): pairs written as lines of text
"Label: value", and the seed's packed last line, read like a definition list's pairs."""

from __future__ import annotations

from pages.regions import read_lines, unpacked


def test_lines_of_text_read_as_pairs_whatever_the_spacing_around_the_colon():
    text = "Qualité\nDénomination\u00a0: ACME SA\nNuméro d'entreprise: 0403.199.702 \n  Qualité :Employeur ONSS"

    assert read_lines(text) == {
        "Dénomination": "ACME SA",
        "Numéro d'entreprise": "0403.199.702",
        "Qualité": "Employeur ONSS",
    }


def test_the_seeds_packed_line_is_two_pairs():
    pairs = unpacked(read_lines("Qualité: Employeur ONSS; Matricule ONSS : 1234567-89"))

    assert pairs == {"Qualité": "Employeur ONSS", "Matricule ONSS": "1234567-89"}


def test_a_semicolon_inside_a_value_is_no_second_pair():
    assert unpacked({"Dénomination": "Dupont; Fils SRL"}) == {"Dénomination": "Dupont; Fils SRL"}
