"""Comparing what people typed."""


def same_words(a, b) -> bool:
    """The same words, whatever the spacing and capitals ("Operator  CNC" is "operator cnc")."""
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()
