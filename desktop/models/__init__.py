"""Qt item models over the DTO rows the services return (architecture.md: "model" means a Qt item model)."""
