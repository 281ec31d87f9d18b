"""Gainsight's documented facts, written once: operations, limits, query operators, error codes, rate limits, profiles."""
