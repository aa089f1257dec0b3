"""Recommendations, opportunities, targets, the weekly review, exports (SPEC §7, §8, §12)."""
