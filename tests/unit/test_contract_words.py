"""The word table's keys: one list (``WordKey``) that mypy checks every key against."""

from __future__ import annotations

import pytest

from contract.fields import CHANNEL_KINDS, CHANNEL_WORDS
from contract.words import _TABLE, LANGUAGES, WORD_KEYS, WORDS, Words, word_key


def test_the_literal_lists_exactly_the_tables_keys_in_its_order() -> None:
    assert WORD_KEYS == tuple(_TABLE)


def test_every_key_has_a_word_in_every_language() -> None:
    for key in WORD_KEYS:
        assert all(WORDS[key][language].strip() for language in LANGUAGES), key


def test_a_key_made_at_run_time_is_checked() -> None:
    assert Words("nl")[word_key("channel_ws")] == "Kanaal Webservice"
    with pytest.raises(KeyError, match="channel_fax"):
        word_key("channel_fax")


def test_each_channel_kind_has_its_word() -> None:
    assert set(CHANNEL_WORDS) == set(CHANNEL_KINDS)
    assert all(key in WORDS for key in CHANNEL_WORDS.values())
