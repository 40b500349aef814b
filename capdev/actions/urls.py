"""URLs of requests and Actions (mounted at the site root, app_name "actions")."""

from django.urls import include, path

from capdev.actions import request_views, views

app_name = "actions"
urlpatterns = [
    # requests
    path("requests/", request_views.request_list, name="request-list"),
    path("requests/new/", request_views.request_create, name="request-create"),
    path("requests/queue/", request_views.request_queue, name="request-queue"),
    path("requests/specific-areas/", request_views.specific_areas_fragment, name="request-specific-areas"),
    path("requests/organisations/", request_views.organisation_search, name="request-organisations"),
    path("requests/eligibility/", request_views.eligibility_list, name="eligibility-list"),
    path(
        "requests/eligibility/<str:code>/remove/",
        request_views.eligibility_remove,
        name="eligibility-remove",
    ),
    path("requests/<int:pk>/", request_views.request_detail, name="request-detail"),
    path("requests/<int:pk>/edit/", request_views.request_edit, name="request-edit"),
    path(
        "requests/<int:pk>/attachments/<int:attachment_pk>/",
        request_views.attachment_download,
        name="request-attachment",
    ),
    path(
        "requests/<int:pk>/<slug:step>/",
        request_views.request_step,
        name="request-step",
    ),
    # Actions
    path("actions/", views.action_list, name="action-list"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/phase/", views.action_phase, name="action-phase"),
    path("actions/<int:pk>/partners/", views.action_partners, name="action-partners"),
    path("actions/<int:pk>/timeline/", views.action_timeline, name="action-timeline"),
    path("actions/<int:pk>/budget/", views.action_budget, name="action-budget"),
    path("actions/<int:pk>/budget/lines/new/", views.budget_line_edit, name="budget-line-create"),
    path("actions/<int:pk>/budget/lines/<int:line_pk>/", views.budget_line_edit, name="budget-line-edit"),
    path(
        "actions/<int:pk>/budget/lines/<int:line_pk>/remove/",
        views.budget_line_delete,
        name="budget-line-delete",
    ),
    path("actions/<int:pk>/budget/funders/", views.funder_shares_edit, name="funder-shares"),
    path("actions/<int:pk>/deliverables/new/", views.deliverable_edit, name="deliverable-create"),
    path(
        "actions/<int:pk>/deliverables/<int:deliverable_pk>/",
        views.deliverable_edit,
        name="deliverable-edit",
    ),
    path(
        "actions/<int:pk>/deliverables/<int:deliverable_pk>/file/",
        views.deliverable_download,
        name="deliverable-download",
    ),
    path("actions/<int:pk>/mou/", views.mou_edit, name="mou-edit"),
    path("actions/<int:pk>/mou/file/", views.mou_download, name="mou-download"),
    path("", include("capdev.actions.activity_urls")),
]
