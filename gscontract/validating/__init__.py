"""The validator's parts: one file checked as it streams, files in parallel, shards and their merge.

:mod:`gscontract.validator` is the library's entry; these modules do the work behind it.
"""
