"""Complaints (客户投诉, domain.md §3): the register and tracking table, registering at the front desk, one
complaint with its history, steps, costs and printed form."""
