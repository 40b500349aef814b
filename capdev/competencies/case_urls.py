"""1EdTech CASE 1.1 read endpoints, mounted at /ims/case/v1p1/ (public: no login)."""

from django.urls import path

from capdev.competencies import case_views

app_name = "case"
urlpatterns = [
    path("CFDocuments", case_views.document_list, name="document-list"),
    path("CFDocuments/<str:identifier>", case_views.document_detail, name="document-detail"),
    path("CFPackages/<str:identifier>", case_views.package_detail, name="package-detail"),
    path("CFItems/<str:identifier>", case_views.item_detail, name="item-detail"),
    path("CFAssociations/<str:identifier>", case_views.association_detail, name="association-detail"),
    path("CFItemAssociations/<str:identifier>", case_views.item_associations, name="item-associations"),
    path("CFRubrics/<str:identifier>", case_views.rubric_detail, name="rubric-detail"),
]
