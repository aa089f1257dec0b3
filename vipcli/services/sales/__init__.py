"""Recommendations, opportunities, targets, the weekly review (SPEC §7, §8)."""
