"""Gainsight's documented facts, written once: operations, limits, operators, codes, rate limits, profiles."""
