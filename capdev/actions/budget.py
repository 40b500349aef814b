"""An Action's budget: lines with planned, committed and spent amounts (EUR), funder shares, and
the overview against the time frame.

Rules: amounts are never negative; spent never exceeds committed; committed exceeds planned on a
line only with a recorded reason; funder shares add up to exactly 100 %.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.actions.models import Action, BudgetLine, FunderShare
from capdev.core import audit
from capdev.core.errors import DomainError
from capdev.organisations.models import Organisation

LINE_FIELDS = ["label", "category", "planned", "committed", "spent", "over_plan_reason"]
HUNDRED = Decimal("100.00")
CENT = Decimal("0.01")


def eur(amount: Decimal | int | float) -> str:
    """ "EUR 723,740.50" (used in messages; pages format with the eur filter)."""
    return f"EUR {Decimal(amount):,.2f}"


def _amount(value: Any, field_name: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0)).quantize(CENT)
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            _("%(label)s must be an amount in euros.") % {"label": label}, field=field_name
        ) from exc
    if amount < 0:
        raise DomainError(_("%(label)s cannot be negative.") % {"label": label}, field=field_name)
    return amount


def check_line(line: BudgetLine) -> None:
    """The consistency rules of one line."""
    if not (line.label or "").strip():
        raise DomainError(_("Name the budget line."), field="label")
    line.planned = _amount(line.planned, "planned", _("The planned amount"))
    line.committed = _amount(line.committed, "committed", _("The committed amount"))
    line.spent = _amount(line.spent, "spent", _("The amount spent"))
    line.over_plan_reason = (line.over_plan_reason or "").strip()
    if line.committed > line.planned and not line.over_plan_reason:
        raise DomainError(
            _(
                "“%(line)s”: %(committed)s committed is more than the %(planned)s planned "
                "(%(over)s over plan). Lower the commitment, raise the plan, or give the reason for "
                "committing over plan."
            )
            % {
                "line": line.label,
                "committed": eur(line.committed),
                "planned": eur(line.planned),
                "over": eur(line.committed - line.planned),
            },
            field="committed",
            code="over_plan",
        )
    if line.spent > line.committed:
        raise DomainError(
            _(
                "“%(line)s”: %(spent)s spent is more than the %(committed)s committed. Record the "
                "commitment first: spending cannot exceed what is committed."
            )
            % {"line": line.label, "spent": eur(line.spent), "committed": eur(line.committed)},
            field="spent",
            code="spent_over_committed",
        )


@transaction.atomic
def add_budget_line(action: Action, *, actor: Any, **values: Any) -> BudgetLine:
    """Add a budget line to an Action."""
    unknown = sorted(set(values) - set(LINE_FIELDS))
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    Action.objects.select_for_update().filter(pk=action.pk).first()
    position = (BudgetLine.objects.filter(action=action).aggregate(n=Max("position"))["n"] or 0) + 1
    line = BudgetLine(action=action, position=position, **values)
    check_line(line)
    line.full_clean()
    line.save()
    audit.record(
        actor,
        "action.budget_line_added",
        action,
        changes=audit.diff({}, audit.snapshot(line, LINE_FIELDS)),
        data={"line": line.label},
    )
    return line


@transaction.atomic
def update_budget_line(line: BudgetLine, *, actor: Any, **values: Any) -> BudgetLine:
    """Change a budget line's amounts or label; the consistency rules are checked again."""
    unknown = sorted(set(values) - set(LINE_FIELDS))
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    line = BudgetLine.objects.select_for_update().select_related("action").get(pk=line.pk)
    before = audit.snapshot(line, LINE_FIELDS)
    for key, value in values.items():
        setattr(line, key, value)
    check_line(line)
    line.full_clean()
    line.save()
    changes = audit.diff(before, audit.snapshot(line, LINE_FIELDS))
    if changes:
        audit.record(
            actor, "action.budget_line_changed", line.action, changes=changes, data={"line": line.label}
        )
    return line


@transaction.atomic
def remove_budget_line(line: BudgetLine, *, actor: Any) -> None:
    """Remove a line; refused once money is committed on it."""
    line = BudgetLine.objects.select_for_update().select_related("action").get(pk=line.pk)
    if line.committed or line.spent:
        raise DomainError(
            _("“%(line)s” has %(committed)s committed; set its amounts to zero before removing it.")
            % {"line": line.label, "committed": eur(line.committed)}
        )
    audit.record(
        actor,
        "action.budget_line_removed",
        line.action,
        changes=audit.diff(audit.snapshot(line, LINE_FIELDS), {}),
    )
    line.delete()


@transaction.atomic
def set_funder_shares(
    action: Action, *, actor: Any, shares: Sequence[Mapping[str, Any]]
) -> list[FunderShare]:
    """Replace an Action's funder shares, e.g. [{"funder": org, "fund": "AMIF", "percent": 94.6},
    ...]. Each share is above 0 %, no funder and fund twice, and together exactly 100 %."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    rows: list[FunderShare] = []
    seen: set[tuple[int, str]] = set()
    for share in shares:
        funder = share.get("funder")
        if not isinstance(funder, Organisation):
            raise DomainError(_("Choose the funder of each share."), field="shares")
        fund = " ".join(str(share.get("fund") or "").split())
        percent = _amount(share.get("percent"), "shares", _("A share"))
        if percent <= 0 or percent > HUNDRED:
            raise DomainError(
                _("Each share is a percentage above 0 and at most 100 (%(funder)s: %(p)s %%).")
                % {"funder": funder, "p": percent},
                field="shares",
            )
        key = (funder.pk, fund.lower())
        if key in seen:
            raise DomainError(
                _("%(funder)s%(fund)s is listed twice; combine the two shares.")
                % {"funder": funder, "fund": f" ({fund})" if fund else ""},
                field="shares",
            )
        seen.add(key)
        rows.append(FunderShare(action=action, funder=funder, fund=fund, percent=percent))
    total = sum((r.percent for r in rows), Decimal(0))
    if rows and total != HUNDRED:
        raise DomainError(
            _(
                "The funder shares add up to %(total)s %%; they must add up to exactly 100 %% (%(diff)s %(what)s)."
            )
            % {
                "total": f"{total:.2f}",
                "diff": f"{abs(HUNDRED - total):.2f} %",
                "what": _("missing") if total < HUNDRED else _("too much"),
            },
            field="shares",
            code="shares_not_100",
        )
    before = _shares_snapshot(action)
    action.funder_shares.all().delete()
    FunderShare.objects.bulk_create(rows)
    changes = audit.diff({"shares": before}, {"shares": _shares_snapshot(action)})
    if changes:
        audit.record(actor, "action.funder_shares_changed", action, changes=changes)
    return rows


def _shares_snapshot(action: Action) -> list[str]:
    return [
        f"{s.funder}{f' ({s.fund})' if s.fund else ''}: {s.percent} %"
        for s in action.funder_shares.select_related("funder").order_by("-percent", "id")
    ]


# --- the overview against the time frame --------------------------------------------------------


@dataclass
class OverviewRow:
    label: str
    planned: Decimal
    committed: Decimal
    spent: Decimal
    over_plan_reason: str = ""
    line: BudgetLine | None = None

    @property
    def committed_pct(self) -> int:
        return _pct(self.committed, self.planned)

    @property
    def spent_pct(self) -> int:
        return _pct(self.spent, self.planned)

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent

    @property
    def bar_committed(self) -> int:
        return min(self.committed_pct, 100)

    @property
    def bar_spent(self) -> int:
        return min(self.spent_pct, 100)


@dataclass
class BudgetOverview:
    rows: list[OverviewRow]
    total: OverviewRow
    start: datetime.date | None
    end: datetime.date | None
    today: datetime.date
    elapsed_pct: int | None  # share of the time frame elapsed, None without a time frame
    shares: list[FunderShare] = field(default_factory=list)

    @property
    def shares_total(self) -> Decimal:
        return sum((s.percent for s in self.shares), Decimal(0))

    @property
    def pace(self) -> str:
        """ "ahead", "behind" or "on track": spending compared with time elapsed (±15 points)."""
        if self.elapsed_pct is None or not self.total.planned:
            return ""
        gap = self.total.spent_pct - self.elapsed_pct
        if gap > 15:
            return "ahead"
        if gap < -15:
            return "behind"
        return "on track"


def _pct(part: Decimal, whole: Decimal) -> int:
    return int((Decimal(100) * part / whole).to_integral_value()) if whole else 0


def elapsed_share(start: datetime.date | None, end: datetime.date | None, today: datetime.date) -> int | None:
    """Percentage of the time frame [start, end] elapsed on `today` (0–100)."""
    if start is None or end is None or end <= start:
        return None
    if today <= start:
        return 0
    if today >= end:
        return 100
    return round(100 * (today - start).days / (end - start).days)


def budget_overview(action: Action, *, today: datetime.date | None = None) -> BudgetOverview:
    """Planned, committed and spent per line and in total, with the share of the time frame
    elapsed. Two queries (lines, shares)."""
    today = today or timezone.localdate()
    lines = list(BudgetLine.objects.filter(action=action).order_by("position", "id"))
    rows = [OverviewRow(b.label, b.planned, b.committed, b.spent, b.over_plan_reason, line=b) for b in lines]
    total = OverviewRow(
        _("Total"),
        sum((r.planned for r in rows), Decimal(0)),
        sum((r.committed for r in rows), Decimal(0)),
        sum((r.spent for r in rows), Decimal(0)),
    )
    shares = list(action.funder_shares.select_related("funder").order_by("-percent", "id"))
    return BudgetOverview(
        rows=rows,
        total=total,
        start=action.start_date,
        end=action.end_date,
        today=today,
        elapsed_pct=elapsed_share(action.start_date, action.end_date, today),
        shares=shares,
    )
