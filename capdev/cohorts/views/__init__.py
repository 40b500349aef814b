"""Pages of the cohorts app, one module per area (runs, programmes, calls, applications and
selection, enrolments, imports). Views are adapters: find the object in the user's scope (404),
check the permission (403), call a service, render or redirect."""
