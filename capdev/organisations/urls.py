from django.urls import path

from capdev.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("new/", views.organisation_create, name="organisation-create"),
    path("<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
]
