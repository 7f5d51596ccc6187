"""`{{ row|label:"stage" }}` shows what `get_stage_display` shows, in the page's language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_label_is_the_choice_display_in_the_active_language(language):
    candidate = CandidateFactory(stage=Stage.PRE_DEPARTURE)
    with translation.override(language):
        shown = Template('{% load lists %}{{ c|label:"stage" }}').render(Context({"c": candidate}))
        assert shown == str(candidate.get_stage_display())
    assert shown
