"""Closed months' KPI figures (月度考核结果), stored once the month is closed.

A month closes `KpiSettings.close_after_days` days after its end (late work of its last days is recorded by
then). The first time anybody reads a closed month, the facts its figures are computed from — the SQL
aggregates of desktop/services/kpi_queries.py and the KPI settings that applied — are stored here, and from
then on the month's figures, trends and printed report are assembled from them: the figures an engineer
was assessed by do not move when somebody records October's work in December, and a closed month costs
one row read instead of its statements. A manager may recompute a closed month (Permission.KPI_MANAGE;
the audit log keeps the facts before and after). A month stored once stays closed when the closing day is
moved later; facts of an older format (desktop.services.kpi.FACTS_FORMAT) are computed again when read.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.base import Base, UTCDateTime

WHOLE_BRANCH = 0  # engineer_id of the branch's figures (user ids start at 1)


class KpiMonth(Base):
    __tablename__ = "kpi_months"
    __table_args__ = (UniqueConstraint("month", "engineer_id", name="uq_kpi_months_month_engineer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the month's first day
    engineer_id: Mapped[int] = mapped_column(Integer)  # WHOLE_BRANCH, or the engineer's user id
    facts: Mapped[dict] = mapped_column(JSON)  # desktop.services.kpi: month_facts()
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    computed_by: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
