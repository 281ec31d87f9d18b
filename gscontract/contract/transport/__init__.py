"""How a contract run's requests travel: the guard each one passes, budget and rate limits, calls, the journal."""
