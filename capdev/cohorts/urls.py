"""URLs of runs, programmes, calls, applications and enrolments (mounted at the site root,
app_name "cohorts")."""

from django.urls import path

from capdev.cohorts.views import applications, calls, enrolments, imports, programmes, runs

app_name = "cohorts"
urlpatterns = [
    # runs
    path("runs/", runs.run_list, name="run-list"),
    path("runs/new/", runs.run_create, name="run-create"),
    path("runs/activity-options/", runs.activity_options, name="run-activity-options"),
    path("runs/import-template.<str:fmt>", imports.import_template, name="import-template"),
    path("runs/<int:pk>/", runs.run_detail, name="run-detail"),
    path("runs/<int:pk>/edit/", runs.run_edit, name="run-edit"),
    path("runs/<int:pk>/status/", runs.run_status, name="run-status"),
    path("runs/<int:pk>/trainers/", runs.run_trainers, name="run-trainers"),
    path("runs/<int:pk>/trainers/<int:trainer_pk>/remove/", runs.trainer_remove, name="trainer-remove"),
    path("runs/<int:pk>/enrol/", runs.run_enrol, name="run-enrol"),
    path("runs/<int:pk>/import/", imports.import_create, name="import-create"),
    path("runs/<int:pk>/imports/<int:import_pk>/", imports.import_detail, name="import-detail"),
    path("runs/<int:pk>/imports/<int:import_pk>/apply/", imports.import_apply, name="import-apply"),
    path("runs/<int:pk>/imports/<int:import_pk>/discard/", imports.import_discard, name="import-discard"),
    path("runs/<int:pk>/imports/<int:import_pk>/errors.csv", imports.import_errors, name="import-errors"),
    # programmes
    path("programmes/", programmes.programme_list, name="programme-list"),
    path("programmes/new/", programmes.programme_create, name="programme-create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/runs/", programmes.programme_add_run, name="programme-add-run"),
    path(
        "programmes/<int:pk>/runs/<int:run_pk>/remove/",
        programmes.programme_remove_run,
        name="programme-remove-run",
    ),
    path(
        "programmes/<int:pk>/runs/<int:run_pk>/move/",
        programmes.programme_move_run,
        name="programme-move-run",
    ),
    # calls
    path("calls/", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_create, name="call-create"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<int:pk>/status/", calls.call_status, name="call-status"),
    path("calls/<int:pk>/quotas/", calls.call_quota, name="call-quota"),
    path("calls/<int:pk>/quotas/<int:quota_pk>/remove/", calls.quota_remove, name="quota-remove"),
    path("calls/<int:pk>/apply/", calls.call_apply, name="call-apply"),
    path("calls/<int:pk>/nominate/", calls.call_nominate, name="call-nominate"),
    path("calls/<int:pk>/candidates/new/", calls.call_add_candidate, name="call-add-candidate"),
    path("calls/<int:pk>/selection/", applications.call_selection, name="call-selection"),
    # applications
    path("applications/", applications.application_list, name="application-list"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/decide/", applications.application_decide, name="application-decide"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application-withdraw"),
    path("applications/<int:pk>/offer/", applications.application_offer, name="application-offer"),
    path("applications/<int:pk>/files/", applications.application_files, name="application-files"),
    path(
        "applications/<int:pk>/files/<int:attachment_pk>/",
        applications.attachment_download,
        name="attachment-download",
    ),
    path(
        "applications/<int:pk>/files/<int:attachment_pk>/remove/",
        applications.attachment_remove,
        name="attachment-remove",
    ),
    # enrolments
    path("enrolments/<int:pk>/", enrolments.enrolment_detail, name="enrolment-detail"),
    path("enrolments/<int:pk>/withdraw/", enrolments.enrolment_withdraw, name="enrolment-withdraw"),
    path("enrolments/<int:pk>/outcome/", enrolments.enrolment_outcome, name="enrolment-outcome"),
    path("enrolments/<int:pk>/waive/", enrolments.enrolment_waive, name="enrolment-waive"),
    path(
        "enrolments/<int:pk>/waive/revoke/",
        enrolments.enrolment_waiver_revoke,
        name="enrolment-waiver-revoke",
    ),
]
