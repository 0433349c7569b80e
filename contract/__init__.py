"""The contract's shared data: rule ids and the word table.

This is the only code the mock portal and the suite share (DEVELOPERS.md, Independence):
data copied from ../shared/portal-contract.md, no behaviour.
"""
