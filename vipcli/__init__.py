"""vip — VIP customer relationship management for a bank outlet."""

__version__ = "0.1.0"
