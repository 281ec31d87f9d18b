"""How a contract run's requests travel: the guard each one passes, budget, rate limits, the target, the journal."""
