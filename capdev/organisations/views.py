"""Organisation pages: list (search, filters, pagination), detail, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.pagination import SEARCH_COUNT_LIMIT
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import render_list
from capdev.organisations import services
from capdev.organisations.filters import OrganisationFilter
from capdev.organisations.forms import OrganisationForm
from capdev.organisations.models import Organisation
from capdev.people.models import Person


def organisation_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisations.list")
    qs = (
        Organisation.objects.visible_to(request.user)
        .select_related("country", "parent")
        .order_by("name", "id")
    )
    filterset = OrganisationFilter(request.GET, queryset=qs, request=request)
    return render_list(
        request,
        template="organisations/organisation_list.html",
        partial="organisations/_organisation_results.html",
        filterset=filterset,
        decorate=_add_people_counts,
        count_limit=SEARCH_COUNT_LIMIT if filterset.searching else None,
    )


def _add_people_counts(orgs: list[Organisation]) -> None:
    counts = dict(
        Person.objects.filter(organisation__in=orgs)
        .values("organisation")
        .annotate(n=Count("id"))
        .values_list("organisation", "n")
        .order_by()
    )
    for org in orgs:
        org.people_count = counts.get(org.pk, 0)  # type: ignore[attr-defined]


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible_or_404(Organisation.objects.select_related("country", "parent"), request.user, pk=pk)
    require(request.user, "organisations.view", org)
    people = Person.objects.visible_to(request.user).filter(organisation=org).select_related("nationality")
    context = {
        "organisation": org,
        "children": Organisation.objects.visible_to(request.user)
        .filter(parent=org)
        .select_related("country"),
        "people": people[:20],
        "people_total": people.count(),
        "contacts": org.contacts.select_related("person"),
        "can_change": can(request.user, "organisations.change", org),
        "audit_events": (
            AuditEvent.objects.for_object(org)[:50] if can(request.user, "core.view_audit", org) else None
        ),
    }
    return render(request, "organisations/organisation_detail.html", context)


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisations.add")
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” created.") % {"name": org})
            return redirect(org)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": None})


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible_or_404(Organisation.objects.all(), request.user, pk=pk)
    require(request.user, "organisations.change", org)
    form = OrganisationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # The form validated a copy; the service applies the changes under a row lock.
            org = services.update_organisation(
                Organisation.objects.get(pk=pk), actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(org)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": org})
