"""Signing, declining, special admission and risk assessment (SPEC §3)."""
