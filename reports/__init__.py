"""PDF and Excel output for BranchDesk: printed forms, labels and list exports (no Qt here)."""
