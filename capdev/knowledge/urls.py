from django.urls import path

from capdev.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.lesson_list, name="lesson-list"),
    path("new/", views.lesson_create, name="lesson-create"),
    path("actions/", views.action_options, name="action-options"),
    path("<int:pk>/", views.lesson_detail, name="lesson-detail"),
    path("<int:pk>/edit/", views.lesson_edit, name="lesson-edit"),
    path("<int:pk>/publish/", views.lesson_publish, name="lesson-publish"),
    path("<int:pk>/unpublish/", views.lesson_unpublish, name="lesson-unpublish"),
]
