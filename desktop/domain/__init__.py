"""Entities, enums and pure rules. Knows nothing of Qt or of which database is used."""
