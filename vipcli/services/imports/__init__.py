"""`vip import`: reading extracts, validating rows, bulk upserts (SPEC §12)."""
