"""Pages of placement, one module per concept; urls.py imports each module directly.

Views fetch through access.py, write through services, read through selectors.py:
- `orders`: job orders (the form, the detail, the review, the moves; the list is in list_views.py);
- `permits`: SIP2MI permits and the changes of their figures;
- `selection`: the ranked candidates of an order, recommendations, and the fairness reports;
- `applications`: an application's page and its next steps;
- `agencies`, `agreements`: P3MI agencies, their suspensions, the MoU and PKS agreements;
- `public`: the public register (no log-in, no personal data);
- `mine`: the candidate's own pages;
- `_shared`: the helpers they share.
"""
