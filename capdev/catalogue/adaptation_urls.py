"""Adaptations of standard products, mounted at /adaptations/."""

from django.urls import path

from capdev.catalogue import adaptation_views as views
from capdev.catalogue import adaptations  # noqa: F401  (registers the permission rules)

app_name = "adaptations"
urlpatterns = [
    path("", views.adaptation_list, name="adaptation-list"),
    path("new/<int:version_id>/", views.adaptation_create, name="adaptation-create"),
    path("<int:pk>/", views.adaptation_detail, name="adaptation-detail"),
    path("<int:pk>/edit/", views.adaptation_edit, name="adaptation-edit"),
    path("<int:pk>/publish/", views.adaptation_publish, name="adaptation-publish"),
    path("<int:pk>/new-draft/", views.adaptation_new_draft, name="adaptation-new-draft"),
    path("<int:pk>/discard/", views.adaptation_discard, name="adaptation-discard"),
    path("<int:pk>/rebase/", views.adaptation_rebase, name="adaptation-rebase"),
    path("<int:pk>/modules/new/", views.module_add, name="module-add"),
    path("<int:pk>/modules/<int:module_id>/replace/", views.module_replace, name="module-replace"),
    path("<int:pk>/modules/<int:module_id>/edit/", views.module_edit, name="module-edit"),
    path("<int:pk>/modules/<int:module_id>/remove/", views.module_remove, name="module-remove"),
    path("<int:pk>/modules/<int:module_id>/objectives/new/", views.objective_add, name="objective-add"),
    path("<int:pk>/objectives/<int:objective_id>/edit/", views.objective_edit, name="objective-edit"),
    path("<int:pk>/objectives/<int:objective_id>/remove/", views.objective_remove, name="objective-remove"),
]
