"""`{% load crisis %}` for pages of other apps:

- `{% urgent_first %}` on the monitoring page: the open urgent cases the user may see, newest
  waiting first, above everything else (nothing when there are none).
- `{% emergency_contacts candidate %}` on a worker's page: the missions and hotlines for the
  country the worker was sent to (every entry when it is not known yet).
"""

from django import template

from ..contacts import contacts_for
from ..selectors import open_cases, worker_country

register = template.Library()

URGENT_FIRST_MAX = 10


@register.inclusion_tag("crisis/_urgent_first.html", takes_context=True)
def urgent_first(context):
    user = context["request"].user
    return {"urgent_open": list(open_cases(user).select_related("candidate")[:URGENT_FIRST_MAX])}


@register.inclusion_tag("crisis/_contacts.html")
def emergency_contacts(candidate=None):
    country = worker_country(candidate) if candidate is not None else None
    return {"directory": contacts_for(country)}
