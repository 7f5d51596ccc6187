"""Pages for job seekers (sign-up, self-registration, their own page) and for the office (desk
registration, the candidate page, verification, duplicates, imports), one module per concept;
urls.py imports each module directly. Views read through selectors and the access helpers and
write only through services:
- `signup`: the log-in a job seeker creates, its confirmation code, the consent text;
- `registration`: the job seeker's own page and the self-registration steps;
- `documents`: document files, served after the access check;
- `office`: desk registration, the candidate page and its edits, the export, the log-in slip;
- `verification`: decisions on registrations, document reviews, duplicates;
- `imports`: bulk imports from a spreadsheet;
- `_shared`: the helpers they share.
(The lists are in list_views.py, the phone abroad in abroad_views.py.)
"""
