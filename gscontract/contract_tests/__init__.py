"""Ready-made contract tests: ``pytest --pyargs gscontract.contract_tests [--gsc-base-url URL ...]``.

One test per operation of the Timeline and Events specs, plus one for the run itself; each fails with
the checks that failed on it, what was expected and received, and a redacted curl line to reproduce it.
See :mod:`gscontract.pytest_plugin` for the options.
"""
