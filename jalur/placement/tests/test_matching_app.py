"""Programme-wide matching in the app: from the database to proposals, publishing them as
recommendations, refusals when an order changed, the candidate's "no", repeatability, explanations."""

import re

import pytest
from django.core.exceptions import ValidationError

from jalur.audit.models import AuditLog
from jalur.candidates.models import Sex
from jalur.notifications.models import Notification
from jalur.placement import services
from jalur.placement.matching import selectors as msel
from jalur.placement.matching import services as match
from jalur.placement.matching.inputs import build_inputs
from jalur.placement.matching.models import MatchingProposal, MatchingRun, RunStatus
from jalur.placement.models import ApplicationEvent, ApplicationOrigin
from jalur.placement.states import ApplicationStatus as AS

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_orders(approved_order):
    """Three approved orders of 1 position each: 3 places to propose at each."""
    return [
        approved_order(positions=1, position_title=title)
        for title in ("Operator mesin", "Operator las", "Operator cat")
    ]


def _people(make_trained, n, *, user=True):
    # different JFT results, so the scores differ: the first is the best
    return [make_trained(jft=250 - 5 * i, user=user) for i in range(n)]


def test_a_run_over_three_orders_proposes_three_distinct_people_to_each(
    three_orders, make_trained, manager
):
    people = _people(make_trained, 10)

    run = match.matching_run_start(actor=manager, orders=None, settings={"method": "optimal"})

    assert run.status == RunStatus.DRAFT
    assert run.summary["orders"] == 3 and run.summary["people"] == 10
    assert len(run.fingerprint) == 64
    for method in ("greedy", "stable", "optimal"):
        rows = MatchingProposal.objects.filter(run=run, method=method)
        per_order = {
            o.pk: [p.candidate_id for p in rows if p.order_id == o.pk] for o in three_orders
        }
        assert all(len(v) == 3 for v in per_order.values()), method
        if method != "greedy":  # cap 1: nine different people
            assert len({c for v in per_order.values() for c in v}) == 9, method
    # greedy (today's one-order-at-a-time fill) gives the best three to every order
    greedy = MatchingProposal.objects.filter(run=run, method="greedy")
    assert {p.candidate_id for p in greedy} == {p.pk for p in people[:3]}
    assert run.summary["methods"]["optimal"]["people_matched"] == 9
    assert run.summary["methods"]["greedy"]["people_matched"] == 3
    best = MatchingProposal.objects.filter(run=run, method="optimal").order_by("-score").first()
    assert set(best.score_parts) == {"language", "skill", "attendance", "waiting", "preference"}
    assert AuditLog.objects.filter(action="matching.start", object_id=str(run.pk)).exists()


def test_publish_creates_recommendations_like_recommendations_fill(
    three_orders, make_trained, manager, agent
):
    _people(make_trained, 10)
    run = match.matching_run_start(actor=manager, orders=three_orders[:2], settings={})

    created = match.matching_publish(actor=manager, run=run, method="optimal")

    assert len(created) == 6
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.published_method == "optimal"
    for application in created:
        assert application.status == AS.RECOMMENDED
        assert application.origin == ApplicationOrigin.MATCHING
        assert application.score is not None and application.rank >= 1
        assert application.score_parts
        event = ApplicationEvent.objects.get(application=application)
        assert event.to_status == AS.RECOMMENDED and f"#{run.pk}" in event.reason
        assert AuditLog.objects.filter(
            action="application.recommend", object_id=str(application.pk)
        ).exists()
        assert Notification.objects.filter(
            user=application.candidate.user, key="placement_recommended"
        ).exists()
    assert Notification.objects.filter(user=agent, key="placement_matching_proposed").count() == 2
    # the per-order fill now finds the places held
    assert services.recommendations_fill(actor=manager, order=three_orders[0]) == []
    # a published run cannot be published or changed again
    with pytest.raises(ValidationError):
        match.matching_publish(actor=manager, run=run, method="stable")


def test_publish_is_refused_when_an_order_closed_since_the_run(
    three_orders, make_trained, manager, agent
):
    _people(make_trained, 6)
    run = match.matching_run_start(actor=manager, orders=None, settings={})
    services.job_order_close(actor=agent, order=three_orders[1], reason="Pemberi kerja membatalkan")

    with pytest.raises(ValidationError) as refused:
        match.matching_publish(actor=manager, run=run, method="optimal")

    text = " ".join(refused.value.messages)
    assert three_orders[1].reference in text and "tidak dibuka" in text
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert not three_orders[0].applications.exists()  # all or nothing


def test_publish_is_refused_when_places_were_taken_since_the_run(
    three_orders, make_trained, manager
):
    _people(make_trained, 6)
    run = match.matching_run_start(actor=manager, orders=None, settings={})
    services.recommendations_fill(actor=manager, order=three_orders[0])

    with pytest.raises(ValidationError) as refused:
        match.matching_publish(actor=manager, run=run, method="stable")

    assert three_orders[0].reference in " ".join(refused.value.messages)


def test_a_declined_proposal_frees_the_place_and_is_not_proposed_again(
    three_orders, make_trained, manager, agent
):
    _people(make_trained, 4)
    order = three_orders[0]
    run = match.matching_run_start(actor=manager, orders=[order], settings={})
    created = match.matching_publish(actor=manager, run=run, method="optimal")
    declined = created[0]
    person = declined.candidate

    match.candidate_decline_proposal(
        actor=person.user, application=declined, reason="Ingin bekerja dekat keluarga"
    )

    declined.refresh_from_db()
    assert declined.status == AS.WITHDRAWN
    assert "Ingin bekerja dekat keluarga" in declined.status_reason
    assert MatchingProposal.objects.get(application=declined).declined_at is not None
    assert Notification.objects.filter(user=agent, key="placement_matching_declined").exists()
    assert Notification.objects.filter(user=manager, key="placement_matching_declined").exists()
    again = match.matching_run_start(actor=manager, orders=[order], settings={})
    proposed = set(
        MatchingProposal.objects.filter(run=again, method="optimal").values_list(
            "candidate_id", flat=True
        )
    )
    assert person.pk not in proposed
    assert len(proposed) == 1  # the freed place goes to the one person left
    with pytest.raises(ValidationError):  # a second "no" to the same proposal
        match.candidate_decline_proposal(actor=person.user, application=declined)


def test_the_same_inputs_give_the_same_fingerprint_and_proposals(
    three_orders, make_trained, manager
):
    _people(make_trained, 8)
    first = match.matching_run_start(actor=manager, orders=None, settings={"method": "stable"})
    second = match.matching_run_again(actor=manager, run=first)

    assert second.fingerprint == first.fingerprint
    assert second.repeat_of == first

    def proposals(run):
        return sorted(
            MatchingProposal.objects.filter(run=run).values_list(
                "method", "order_id", "candidate_id"
            )
        )

    assert proposals(first) == proposals(second)
    for method in ("greedy", "stable", "optimal"):
        assert (
            first.summary["methods"][method]["result_hash"]
            == second.summary["methods"][method]["result_hash"]
        )
    assert match.matching_repeat_check(actor=manager, run=first) is True
    first.refresh_from_db()
    assert first.summary["repeats"][-1]["same"] is True


def test_a_changed_input_changes_the_fingerprint(three_orders, make_trained, manager):
    _people(make_trained, 5)
    first = build_inputs()
    make_trained(jft=210)
    assert build_inputs().to_bytes()[1] != first.to_bytes()[1]


def test_women_floor_is_met_by_optimal_or_explained(three_orders, make_trained, manager):
    men = [make_trained(jft=250 - i, sex=Sex.MALE) for i in range(9)]
    women = [make_trained(jft=200, sex=Sex.FEMALE) for _ in range(2)]
    run = match.matching_run_start(
        actor=manager, orders=None, settings={"method": "optimal", "women_share": "30"}
    )
    optimal = MatchingProposal.objects.filter(run=run, method="optimal")
    got = {p.order_id for p in optimal if p.candidate_id in {w.pk for w in women}}
    assert len(got) == 2  # each woman placed where the floor asks for one
    shortfalls = msel.shortfalls(run, "optimal")
    # three orders need one woman each, only two exist: the third order is said, with why
    assert len(shortfalls) == 1
    assert shortfalls[0]["code"] == "capacity" and shortfalls[0]["needed"] == 1
    assert "memenuhi syarat" in shortfalls[0]["why"]
    assert men  # the men fill the rest


def test_explanations_name_no_other_person(three_orders, make_trained, manager):
    people = _people(make_trained, 8)
    run = match.matching_run_start(actor=manager, orders=[three_orders[0]], settings={})
    last = people[-1]
    text = msel.explain_for_candidate(run, "optimal", last.pk, three_orders[0].pk)

    assert "skor Anda" in text and "skor terendah yang diusulkan" in text
    others = [p.full_name for p in people if p.pk != last.pk]
    assert not [name for name in others if name in text]


def test_explanation_for_someone_not_eligible_names_the_rule(three_orders, make_trained, manager):
    _people(make_trained, 3)
    no_language = make_trained(jft=None)
    run = match.matching_run_start(actor=manager, orders=[three_orders[0]], settings={})

    rows = msel.person_explanations(run, "optimal", no_language)

    assert rows and rows[0]["code"] == "not_eligible"
    assert rows[0]["rules"]  # the failing rule's label and message


def test_adjust_remove_and_add_within_capacity_with_a_reason(three_orders, make_trained, manager):
    people = _people(make_trained, 6)
    order = three_orders[0]
    run = match.matching_run_start(actor=manager, orders=[order], settings={})
    proposals = list(MatchingProposal.objects.filter(run=run, method="optimal"))
    outsider = next(p for p in people if p.pk not in {x.candidate_id for x in proposals})

    with pytest.raises(ValidationError):  # full
        match.matching_add(
            actor=manager,
            run=run,
            method="optimal",
            order_id=order.pk,
            candidate=outsider,
            reason="x",
        )
    with pytest.raises(ValidationError):  # no reason
        match.matching_remove(actor=manager, proposal=proposals[0], reason=" ")
    match.matching_remove(actor=manager, proposal=proposals[0], reason="Sedang sakit")
    added = match.matching_add(
        actor=manager,
        run=run,
        method="optimal",
        order_id=order.pk,
        candidate=outsider,
        reason="Pengalaman las",
    )

    assert added.adjusted_by_manager
    created = match.matching_publish(actor=manager, run=run, method="optimal")
    assert outsider.pk in {a.candidate_id for a in created}
    assert proposals[0].candidate_id not in {a.candidate_id for a in created}
    assert AuditLog.objects.filter(action="matching.proposal_remove").exists()
    assert AuditLog.objects.filter(action="matching.proposal_add").exists()


def test_discard_needs_a_reason_and_ends_the_run(three_orders, make_trained, manager):
    _people(make_trained, 3)
    run = match.matching_run_start(actor=manager, orders=None, settings={})
    with pytest.raises(ValidationError):
        match.matching_discard(actor=manager, run=run, reason="")
    match.matching_discard(actor=manager, run=run, reason="Data pelatihan belum lengkap")
    run.refresh_from_db()
    assert run.status == RunStatus.DISCARDED
    with pytest.raises(ValidationError):
        match.matching_publish(actor=manager, run=run, method="optimal")


def test_settings_are_checked_with_clear_messages(three_orders, manager):
    with pytest.raises(ValidationError) as refused:
        match.matching_run_start(
            actor=manager,
            orders=None,
            settings={"method": "x", "max_orders_per_person": 9, "women_share": "150"},
        )
    assert set(refused.value.message_dict) == {"method", "max_orders_per_person", "women_share"}
    assert not MatchingRun.objects.exists()


def test_an_open_application_keeps_its_place_and_is_not_proposed_again(
    three_orders, make_trained, manager
):
    people = _people(make_trained, 5)
    order = three_orders[0]
    applied = services.application_apply(candidate=people[0], order=order, actor=people[0].user)

    inputs = build_inputs([order.pk])

    facts = inputs.orders[order.pk]
    assert facts.held == 1 and facts.capacity == order.recommendation_target - 1
    assert (applied.candidate_id, order.pk) not in inputs.problem.scores
    assert (people[1].pk, order.pk) in inputs.problem.scores
    parts = inputs.part_dict(people[1].pk, order.pk)
    assert set(parts) == {"language", "skill", "attendance", "waiting", "preference"}


def test_a_big_run_is_computed_by_the_background_worker(
    three_orders, make_trained, manager, monkeypatch, django_capture_on_commit_callbacks
):
    _people(make_trained, 4)
    monkeypatch.setattr(match, "SYNC_PAIR_LIMIT", 0)

    with django_capture_on_commit_callbacks(execute=True):
        run = match.matching_run_start(actor=manager, orders=None, settings={})
        assert run.status == RunStatus.QUEUED  # not computed in the request

    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.progress == ""
    assert MatchingProposal.objects.filter(run=run).exists()


def test_a_failed_computation_is_recorded_on_the_run(
    three_orders, make_trained, manager, monkeypatch
):
    _people(make_trained, 2)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(match, "solve_all", broken)
    with pytest.raises(RuntimeError):
        match.matching_run_start(actor=manager, orders=None, settings={})
    run = MatchingRun.objects.get()
    assert run.status == RunStatus.FAILED and "solver crashed" in run.error


def test_matching_adjust_removes_only_a_proposal_of_its_own_run(
    three_orders, make_trained, manager
):
    _people(make_trained, 4)
    run = match.matching_run_start(actor=manager, orders=[three_orders[0]], settings={})
    other = match.matching_run_start(actor=manager, orders=[three_orders[0]], settings={})
    theirs = MatchingProposal.objects.filter(run=other).first()
    with pytest.raises(ValidationError):
        match.matching_adjust(actor=manager, run=run, remove=theirs, reason="salah run")
    mine = MatchingProposal.objects.filter(run=run).first()
    match.matching_adjust(actor=manager, run=run, remove=mine, reason="Sedang sakit")
    mine.refresh_from_db()
    assert mine.removed and mine.reason == "Sedang sakit"


def test_a_kecamatan_floor_brings_in_the_other_kecamatan(three_orders, make_trained, manager):
    # the best nine all live in one kecamatan; three others in another, with lower scores
    _people(make_trained, 9)
    others = [make_trained(jft=205, district_id="36.73.02") for _ in range(3)]
    run = match.matching_run_start(
        actor=manager,
        orders=None,
        settings={"method": "optimal", "kecamatan_share": "30"},
    )
    optimal = MatchingProposal.objects.filter(run=run, method="optimal")
    per_order = {}
    for p in optimal:
        per_order.setdefault(p.order_id, set()).add(p.candidate_id)
    assert all(people & {o.pk for o in others} for people in per_order.values())
    assert msel.shortfalls(run, "optimal") == []
    # stable does not enforce floors: it reports them, with the reason
    assert all(s["code"] == "not_enforced" for s in msel.shortfalls(run, "stable"))


def test_the_outranked_reason_reads_in_indonesian_numbers(three_orders, make_trained, manager):
    people = _people(make_trained, 5)
    run = match.matching_run_start(actor=manager, orders=[three_orders[0]], settings={})
    text = msel.explain_for_candidate(run, "optimal", people[-1].pk, three_orders[0].pk)
    assert re.search(r"skor Anda \d+,\d; skor terendah yang diusulkan \d+,\d\.", text), text


def test_a_floor_nobody_could_meet_is_not_given_as_the_reason(three_orders, make_trained, manager):
    # only men: the women's floor changes nothing, so nobody is told a place went to meet it
    people = _people(make_trained, 8)
    run = match.matching_run_start(
        actor=manager, orders=three_orders[:2], settings={"women_share": "30"}
    )
    texts = [
        row["text"]
        for person in people
        for row in msel.person_explanations(run, "optimal", person)
        if row["code"] != "proposed"
    ]
    assert texts and not [t for t in texts if "keterwakilan" in t]
