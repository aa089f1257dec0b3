"""The morning list, contact logging, communication reports, compliance (SPEC §5, §6)."""
