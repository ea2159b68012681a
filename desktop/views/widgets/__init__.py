"""Widgets that are not tied to one kind of record (the signature pad)."""
