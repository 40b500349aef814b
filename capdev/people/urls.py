from django.urls import path

from capdev.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("new/", views.person_create, name="person-create"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("<int:pk>/export/", views.person_export, name="person-export"),
    path("<int:pk>/erase/", views.person_erase, name="person-erase"),
]
