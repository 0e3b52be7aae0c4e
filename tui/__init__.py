"""Broadsheet: a keyboard-driven terminal news browser."""

__version__ = "0.1.0"
