from django.urls import path

from capdev.delivery import attendance_views, views

app_name = "delivery"
urlpatterns = [
    path("runs/<int:run_pk>/sessions/", views.session_list, name="session-list"),
    path("runs/<int:run_pk>/sessions/new/", views.session_create, name="session-create"),
    path("runs/<int:run_pk>/sessions/daily/", views.session_daily, name="session-daily"),
    path(
        "runs/<int:pk>/sessions/attendance/", attendance_views.attendance_summary, name="attendance-summary"
    ),
    path("runs/<int:run_pk>/timetable/", views.timetable, name="timetable"),
    path("runs/<int:run_pk>/timetable/calendar.ics", views.run_calendar_ics, name="run-calendar-ics"),
    path("runs/<int:run_pk>/timetable/calendar/reset/", views.run_calendar_reset, name="run-calendar-reset"),
    path("sessions/today/", views.today, name="today"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/reinstate/", views.session_reinstate, name="session-reinstate"),
    path("sessions/<int:pk>/attendance/", attendance_views.attendance_sheet, name="attendance-sheet"),
    path("sessions/<int:pk>/sign-in-sheet.pdf", attendance_views.sign_in_sheet, name="sign-in-sheet"),
    path("attendance/", attendance_views.attendance_list, name="attendance-list"),
    path("calendar/", views.my_calendar, name="my-calendar"),
    path("calendar/reset/", views.my_calendar_reset, name="my-calendar-reset"),
    path("calendar/<int:person_pk>.ics", views.personal_calendar_ics, name="personal-calendar-ics"),
]
