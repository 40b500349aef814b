from django.urls import path

from capdev.competencies import views

app_name = "competencies"
urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("new/", views.framework_create, name="framework-create"),
    path("<int:pk>/", views.framework_detail, name="framework-detail"),
    path("<int:pk>/edit/", views.framework_edit, name="framework-edit"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version-edit"),
    path("versions/<int:pk>/scale/", views.version_scale, name="version-scale"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version-publish"),
    path("versions/<int:pk>/retire/", views.version_retire, name="version-retire"),
    path("versions/<int:pk>/derive/", views.version_derive, name="version-derive"),
    path("versions/<int:pk>/discard/", views.version_discard, name="version-discard"),
    path("versions/<int:pk>/compare/", views.version_compare, name="version-compare"),
    path("versions/<int:pk>/items/new/", views.item_add, name="item-add"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/move/", views.item_move, name="item-move"),
    path("items/<int:pk>/delete/", views.item_delete, name="item-delete"),
]
