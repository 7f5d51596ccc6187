"""Receivers that keep derived state (a flag on the candidate row, the selection facts) beside
the records it is derived from."""

import functools


def skip_raw(receiver):
    """Leave a row saved exactly as presented (`raw`: loading a fixture, restoring a backup) to
    itself: it arrives with the state already kept, and the rows that state is derived from may
    not be loaded yet, so recomputing it then would write a wrong value or a duplicate row."""

    @functools.wraps(receiver)
    def guarded(sender, instance, raw=False, **kwargs):
        if raw:
            return None
        return receiver(sender, instance, **kwargs)

    return guarded
