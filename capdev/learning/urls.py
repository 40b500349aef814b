"""The online part, mounted at /learning/ (login required everywhere)."""

from django.urls import path

from capdev.learning.views import authoring, course, player, progress

app_name = "learning"
urlpatterns = [
    path("my/", course.my_courses, name="my-courses"),
    # authoring a version's online content
    path("versions/<int:pk>/", authoring.version_content, name="version-content"),
    path("modules/<int:pk>/", authoring.module_detail, name="module-detail"),
    path("modules/<int:pk>/lessons/new/", authoring.lesson_create, name="lesson-create"),
    path("modules/<int:pk>/package/", authoring.package_upload, name="package-upload"),
    path("lessons/<int:pk>/edit/", authoring.lesson_edit, name="lesson-edit"),
    path("lessons/<int:pk>/delete/", authoring.lesson_delete, name="lesson-delete"),
    path("lessons/<int:pk>/move/", authoring.lesson_move, name="lesson-move"),
    path("lessons/<int:pk>/preview/", authoring.lesson_preview, name="lesson-preview"),
    path("lessons/<int:pk>/images/", authoring.image_add, name="image-add"),
    path("images/<int:pk>/", player.image, name="image"),
    path("images/<int:pk>/edit/", authoring.image_edit, name="image-edit"),
    path("images/<int:pk>/delete/", authoring.image_delete, name="image-delete"),
    path("packages/<int:pk>/delete/", authoring.package_delete, name="package-delete"),
    path("packages/<int:pk>/preview/", player.package_preview, name="package-preview"),
    path("packages/<int:pk>/content/<path:path>", player.package_file, name="package-file"),
    # the participant's online course
    path("enrolments/<int:pk>/", course.course, name="course"),
    path("enrolments/<int:pk>/lessons/<int:lesson>/", course.lesson, name="course-lesson"),
    path("enrolments/<int:pk>/lessons/<int:lesson>/done/", course.lesson_done, name="lesson-done"),
    path("enrolments/<int:pk>/packages/<int:package>/play/", player.play, name="play"),
    path("enrolments/<int:pk>/packages/<int:package>/commit/<str:key>/", player.commit, name="commit"),
    # trainers and staff
    path("runs/<int:pk>/progress/", progress.run_progress, name="run-progress"),
]
