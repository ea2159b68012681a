"""Customers and their service files: the list with one search box, the customer's file (details, units,
complaints), the forms for customers and units, and merging duplicates (domain.md §2)."""
