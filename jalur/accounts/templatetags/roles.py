"""{% has_cap "capability" %}: whether the signed-in user may do something (roles.can).

Registered as a built-in library in settings.TEMPLATES, so every template can ask without loading it.
"""

from django import template

from jalur.accounts.roles import can

register = template.Library()


@register.simple_tag(takes_context=True)
def has_cap(context, capability):
    return can(context["request"].user, capability)
