"""The catalogue of standard products, mounted at /catalogue/ (login required)."""

from django.urls import path

from capdev.catalogue import authoring_views as authoring
from capdev.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("new/", views.course_create, name="course-create"),
    path("<int:pk>/", views.course_detail, name="course-detail"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version-edit"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version-publish"),
    path("versions/<int:pk>/retire/", views.version_retire, name="version-retire"),
    path("versions/<int:pk>/derive/", views.version_derive, name="version-derive"),
    path("versions/<int:pk>/discard/", views.version_discard, name="version-discard"),
    path("versions/<int:pk>/parts/", authoring.version_parts, name="version-parts"),
    path("versions/<int:pk>/parts/<int:part>/edit/", authoring.part_edit, name="part-edit"),
    path("versions/<int:pk>/parts/<int:part>/delete/", authoring.part_delete, name="part-delete"),
    path("versions/<int:pk>/parts/<int:part>/move/", authoring.part_move, name="part-move"),
    path("versions/<int:pk>/modules/", authoring.version_modules, name="version-modules"),
    path("versions/<int:pk>/modules/<int:module>/edit/", authoring.module_edit, name="module-edit"),
    path("versions/<int:pk>/modules/<int:module>/delete/", authoring.module_delete, name="module-delete"),
    path("versions/<int:pk>/modules/<int:module>/move/", authoring.module_move, name="module-move"),
    path(
        "versions/<int:pk>/modules/<int:module>/objectives/new/",
        authoring.objective_add,
        name="objective-add",
    ),
    path(
        "versions/<int:pk>/objectives/<int:objective>/edit/", authoring.objective_edit, name="objective-edit"
    ),
    path(
        "versions/<int:pk>/objectives/<int:objective>/delete/",
        authoring.objective_delete,
        name="objective-delete",
    ),
    path(
        "versions/<int:pk>/objectives/<int:objective>/move/", authoring.objective_move, name="objective-move"
    ),
    path(
        "versions/<int:pk>/objectives/<int:objective>/competencies/",
        authoring.objective_competencies,
        name="objective-competencies",
    ),
    path("versions/<int:pk>/rules/", authoring.version_rules, name="version-rules"),
    path("versions/<int:pk>/materials/", authoring.version_materials, name="version-materials"),
    path(
        "versions/<int:pk>/materials/<int:material>/delete/",
        authoring.material_delete,
        name="material-delete",
    ),
    path("materials/<int:pk>/download/", views.material_download, name="material-download"),
]
