"""Training pages, one module per concept; urls.py imports each module directly:
- `cohorts`: today's sessions, a cohort's form, page and schedule, closing it;
- `costs`: the costs of a cohort;
- `attendance`: the register of a session;
- `enrolments`: a trainee's page, moves and assessment results;
- `certificates`: certificates, and the public check of one;
- `programmes`: programmes, providers and the scale settings.
(The cohort list is in list_views.py, enrolling and proposals in enrol_views.py.)
"""
