"""`vip assign` and `vip handover` (SPEC §2)."""
