"""Windows, dialogs and widgets: thin, they call services and show DTOs (architecture.md)."""
