"""The rules of the law and of the programme, in one place, below every stage app.

Each module holds one concept (who may pay, grievance deadlines, document validity, ...). A rule is a
plain function over plain values, registered with `registry.rule` together with its legal source, so
`docs/rules.md` can list every rule, its source, where it is enforced and the tests that pin it
(`python manage.py rules_page`). Stage apps gather the facts and call these functions; none restates
a rule.

This package imports nothing of Jalur and touches no database (an import-linter contract in
`scripts/test.sh` holds it to that). It may read Django settings where a city is allowed to make a
rule stricter than the law.
"""
