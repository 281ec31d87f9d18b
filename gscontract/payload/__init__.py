"""Payload files as gscontract reads them: JSON and JSON Lines documents, their kinds, and where each value stands."""
