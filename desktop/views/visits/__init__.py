"""Return visits (回访, domain.md §5): the front desk's list of visits due and the form that records one."""
