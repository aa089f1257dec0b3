"""`vip screen`: the monthly tier screening (SPEC §1)."""
