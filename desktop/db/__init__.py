"""Everything that differs between SQLite and PostgreSQL lives in this package."""
