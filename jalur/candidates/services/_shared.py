"""What the candidate services share: who acted, when it was a person."""


def _user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None
