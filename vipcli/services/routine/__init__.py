"""The outlet's routine: profile, lobby, activities and referrals, journal, segments, retention (SPEC §4, §9–§11)."""
