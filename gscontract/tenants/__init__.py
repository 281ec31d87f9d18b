"""The tenant model: what rules may ask of a tenant, its reference data, and how lookups resolve against it."""
