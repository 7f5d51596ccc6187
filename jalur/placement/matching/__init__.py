"""Programme-wide matching across open job orders (issue 19).

``engine`` holds the pure algorithms (greedy, stable, optimal; no Django). The rest of this package is
the part around them: ``inputs`` turns the database into an engine ``Problem``, ``models`` keeps each run
with its inputs, settings and proposals, ``services`` starts, adjusts, publishes and discards runs and
lets a candidate decline a proposal, ``selectors`` reads them for the pages.
"""
