"""The contract's shared data: rule ids and the word table.

This is the only code the mock portal and the suite share, so that a bug on one side cannot
hide on both: data from the portal contract (docs/contract.md), no behaviour.
"""
