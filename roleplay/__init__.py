"""roleplay: an offline terminal trainer for customer managers' courteous conversations."""

__version__ = "0.1.0"
