"""The system administrator's screens: users, the audit log, backup and restore (domain.md §1, §10)."""
