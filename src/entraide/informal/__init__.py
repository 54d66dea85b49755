"""Informal cooperation register and channel advisor."""
