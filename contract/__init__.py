"""The contract's shared data: rule ids and the word table.

This is the only code the mock portal and the suite share (DEVELOPERS.md, Independence):
data from the portal contract (docs/contract.md), no behaviour.
"""
