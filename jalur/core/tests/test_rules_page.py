"""docs/rules.md is generated from the rules layer and must match the code."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from jalur.core import rules_page
from jalur.rules.registry import all_rules


def test_the_rules_page_is_current():
    page = Path(settings.BASE_DIR) / rules_page.PAGE
    assert page.read_text(encoding="utf-8") == rules_page.render(), (
        "docs/rules.md is out of date: run `python manage.py rules_page` and commit it"
    )


def test_every_rule_has_a_legal_source_and_a_summary():
    rules = all_rules()
    assert rules
    for rule in rules:
        assert rule.sources, rule.code
        assert rule.summary, rule.code


def test_the_page_finds_who_calls_a_rule_and_which_tests_pin_it(tmp_path):
    app = tmp_path / "jalur" / "shop"
    (app / "tests").mkdir(parents=True)
    (app / "services.py").write_text(
        "from jalur.rules import fees\n\n"
        "class Gate:\n"
        "    def check(self, item):\n"
        "        return fees.worker_may_pay(item, zero_cost=False)\n"
    )
    (app / "tests" / "test_gate.py").write_text(
        "import pytest\n"
        "from jalur.rules.fees import worker_may_pay as rule\n\n"
        "def test_direct():\n"
        "    assert not rule('ticket', zero_cost=False).allowed\n\n"
        "@pytest.mark.rule('fees.worker_may_pay')\n"
        "def test_through_the_page():\n"
        "    pass\n"
    )
    places = rules_page.rule_places(tmp_path, all_rules())["fees.worker_may_pay"]
    cited = [p.cite() for p in places]
    assert "`jalur/shop/services.py` `Gate.check`" in cited
    assert "`jalur/shop/tests/test_gate.py::test_direct`" in cited
    assert "`jalur/shop/tests/test_gate.py::test_through_the_page`" in cited


def test_a_marker_naming_no_rule_fails_the_page(tmp_path):
    tests = tmp_path / "jalur" / "shop" / "tests"
    tests.mkdir(parents=True)
    (tests / "test_x.py").write_text(
        "import pytest\n\n@pytest.mark.rule('fees.no_such_rule')\ndef test_x():\n    pass\n"
    )
    (tmp_path / "docs").mkdir()
    with pytest.raises(ValueError, match="fees.no_such_rule"):
        rules_page.render(tmp_path)


def test_the_command_rewrites_the_page(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    (tmp_path / "jalur").mkdir()
    (tmp_path / "docs").mkdir()
    call_command("rules_page", verbosity=0)
    text = (tmp_path / "docs" / "rules.md").read_text()
    assert "## `fees.worker_may_pay`" in text
    assert "UU 18/2017 Pasal 30 ayat (1)" in text


def test_a_rule_built_on_another_rule_is_listed_where_it_calls_it(tmp_path):
    rules = tmp_path / "jalur" / "rules"
    rules.mkdir(parents=True)
    (rules / "gate.py").write_text(
        "from . import fees\nfrom .fees import payer_may_pay\n\n"
        "def check(item):\n"
        "    return fees.worker_may_pay(item, zero_cost=True)\n\n"
        "def other(item):\n"
        "    return payer_may_pay(item, 'worker', zero_cost=True)\n"
    )
    (rules / "fees.py").write_text(
        "def worker_may_pay(item, zero_cost):\n    return None\n\n"
        "def helper(item):\n    return worker_may_pay(item, zero_cost=False)\n"
    )
    cited = [p.cite() for p in rules_page.rule_places(tmp_path, all_rules())["fees.worker_may_pay"]]
    assert cited == ["`jalur/rules/fees.py` `helper`", "`jalur/rules/gate.py` `check`"]
