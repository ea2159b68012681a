"""The KPI dashboard (考核指标, domain.md §9): the month's figures against their targets, how each was
computed, charts of the trends, fault types and costs, the breakdown tables, and the records behind every
figure (desktop/views/kpi/dashboard_page.py)."""
