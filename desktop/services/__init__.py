"""Use cases, one function each: check the caller's permission, change data in one unit of work, return
plain data (DTOs). The only way data changes. No Qt here."""
