"""The home dashboard, different for each role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from capdev.portal.figures import dashboard_for


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("portal:dashboard" if request.user.is_authenticated else "accounts:login")


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html", dashboard_for(request.user))
