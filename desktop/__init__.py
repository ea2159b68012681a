"""BranchDesk 售后服务台 — the after-sales service desk of a manufacturer's branch office."""

__version__ = "0.1.0"
APP_NAME = "BranchDesk"
