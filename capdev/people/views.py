"""People directory: list, detail, create, edit, personal-data export and erasure."""

from __future__ import annotations

import json

from django.contrib import messages
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
from capdev.people import services
from capdev.people.filters import PersonFilter
from capdev.people.forms import ErasureForm, PersonForm, language_formset
from capdev.people.models import Person


def person_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "people.list")
    qs = (
        Person.objects.visible_to(request.user)
        .select_related("organisation", "nationality")
        .order_by("last_name", "first_name", "id")
    )
    filterset = PersonFilter(request.GET, queryset=qs, request=request)
    return render_list(
        request,
        template="people/person_list.html",
        partial="people/_person_results.html",
        filterset=filterset,
        count_limit=SEARCH_COUNT_LIMIT if filterset.searching else None,
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(
        Person.objects.select_related("organisation", "nationality", "user"), request.user, pk=pk
    )
    require(request.user, "people.view", person)
    user = request.user
    context = {
        "person": person,
        "languages": person.languages.all(),
        "memberships": (
            person.user.memberships.select_related("organisation").filter(active=True) if person.user else []
        ),
        "can_change": can(user, "people.change", person) and not person.is_erased,
        "can_export": can(user, "people.export", person),
        "can_erase": can(user, "people.erase", person) and not person.is_erased,
        "audit_events": AuditEvent.objects.for_object(person)[:50] if can(user, "core.view_audit") else None,
    }
    return render(request, "people/person_detail.html", context)


def _save_person(request: HttpRequest, person: Person | None) -> HttpResponse:
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    langs = language_formset(request.POST or None, person)
    if request.method == "POST" and form.is_valid() and langs.is_valid():
        try:
            if person is None:
                person = services.create_person(
                    actor=request.user, languages=langs.pairs(), **form.cleaned_data
                )
                messages.success(request, _("%(name)s added.") % {"name": person})
            else:
                person = services.update_person(
                    Person.objects.get(pk=person.pk),
                    actor=request.user,
                    languages=langs.pairs(),
                    **form.cleaned_data,
                )
                messages.success(request, _("Changes saved."))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect(person)
    return render(request, "people/person_form.html", {"form": form, "languages": langs, "person": person})


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "people.add")
    return _save_person(request, None)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    require(request.user, "people.change", person)
    if person.is_erased:
        messages.error(request, _("This person's data was erased; the profile can no longer be edited."))
        return redirect(person)
    return _save_person(request, person)


def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.select_related("organisation", "user"), request.user, pk=pk)
    require(request.user, "people.export", person)
    data = services.export_person_data(person, actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="capdev-personal-data-{person.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    require(request.user, "people.erase", person)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_person(person, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The person's data has been erased."))
            return redirect("people:person-detail", pk=person.pk)
    return render(request, "people/person_erase.html", {"form": form, "person": person})
