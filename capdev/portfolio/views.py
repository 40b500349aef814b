"""The portfolio dashboard and its exports."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.actions.models import ActionType
from capdev.core.permissions import require
from capdev.core.roles import Role
from capdev.core.views import is_partial
from capdev.organisations.models import Organisation
from capdev.organisations.querysets import scoped_org_ids
from capdev.portfolio import exports
from capdev.portfolio.figures import Filters, portfolio_figures, scope_of
from capdev.portfolio.forms import PortfolioFilterForm
from capdev.portfolio.tables import Table, build_tables, headline
from capdev.reference.models import Region

# Dashboard sections: (heading, table keys).
SECTIONS = [
    ("requests", ("requests-by-status",)),
    ("actions", ("actions-by-phase", "actions-by-type", "actions-by-region", "actions-by-thematic-area")),
    ("countries", ("countries-by-region",)),
    ("experts", ("experts-by-sex", "experts-by-nationality")),
    ("activities", ("activities-by-year", "activities-by-type", "participants-by-year")),
]


def _load(request: HttpRequest) -> tuple[PortfolioFilterForm, Filters, dict[str, Table]]:
    require(request.user, "portfolio.view")
    form = PortfolioFilterForm(request.GET or None)
    filters = form.filters() if request.GET else Filters()
    return form, filters, build_tables(portfolio_figures(request.user, filters))


def _scope_text(request: HttpRequest) -> str:
    scope = scope_of(request.user)
    if scope == "programme":
        return _("The whole programme.")
    if scope == "committee":
        return _("Every Action of the programme, and the requests put before the steering committee.")
    orgs = Organisation.objects.filter(id__in=scoped_org_ids(request.user, Role.FOCAL_POINT)).order_by("name")
    names = ", ".join(o.acronym or o.name for o in orgs[:5])
    return _("The requests and Actions of %(orgs)s.") % {"orgs": names or _("your organisation")}


def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters, tables = _load(request)
    query = request.GET.copy()
    query.pop("table", None)
    context = {
        "form": form,
        "filters": filters,
        "tables": tables,
        "sections": [(name, [tables[k] for k in keys]) for name, keys in SECTIONS],
        "headline": headline(tables),
        "scope_text": _scope_text(request),
        "querystring": query.urlencode(),
    }
    template = "portfolio/_dashboard_results.html" if is_partial(request) else "portfolio/dashboard.html"
    return render(request, template, context)


def _about(request: HttpRequest, filters: Filters, form: PortfolioFilterForm) -> list[tuple[str, str]]:
    about = [(_("Covers"), _scope_text(request))]
    if filters.year_from or filters.year_to:
        about.append((_("Years"), f"{filters.year_from or '…'}–{filters.year_to or '…'}"))
    if filters.region:
        about.append((_("Region"), str(dict(Region.choices).get(filters.region, filters.region))))
    if filters.thematic_area:
        area = form.cleaned_data.get("thematic_area")
        about.append((_("Thematic area"), str(area)))
    if filters.type:
        about.append((_("Type of Action"), str(dict(ActionType.choices).get(filters.type, filters.type))))
    return about


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """`export.csv?table=<key>` (one table) or `export.xlsx[?table=<key>]` (one sheet per table)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, filters, tables = _load(request)
    key = request.GET.get("table", "")
    if key and key not in tables:
        raise Http404
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        if not key:
            raise Http404  # a CSV holds one table: say which
        response = HttpResponse(exports.table_csv(tables[key]), content_type=exports.CSV_TYPE)
        filename = f"capdev-portfolio-{key}-{stamp}.csv"
    else:
        chosen = [tables[key]] if key else list(tables.values())
        response = HttpResponse(
            exports.tables_xlsx(chosen, _about(request, filters, form)), content_type=exports.XLSX_TYPE
        )
        filename = f"capdev-portfolio-{key or 'all'}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
