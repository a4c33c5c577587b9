from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cpims.audit.models import AuditEvent
from cpims.finance.allocation import allocation_create, allocation_weights_set
from cpims.finance.allocation_math import Part, allocate
from cpims.finance.models import AllocationProposal
from tests.factories import location
from tests.finance.helpers import World, finance_officer

D = Decimal


def test_the_formula_cases_times_weight_with_largest_remainders():
    # scores 120 × 1.0, 35 × 1.1, 47 × 0.9 = 120, 38.5, 42.3 (Σ 200.8)
    # exact: 597,609,561.75…, 191,733,067.73…, 210,657,370.52…; floors leave 2 ₮,
    # which go to the two largest remainders (.75 and .73)
    shares = allocate(
        D("1000000000"),
        [Part("11", 120, D("1.0")), Part("21", 35, D("1.1")), Part("67", 47, D("0.9"))],
    )
    assert {s.key: s.amount for s in shares} == {
        "11": D("597609562"),
        "21": D("191733068"),
        "67": D("210657370"),
    }
    assert sum(s.amount for s in shares) == D("1000000000")
    assert [s.score for s in shares] == [D("120.0"), D("38.5"), D("42.3")]
    assert all(isinstance(s.amount, Decimal) for s in shares)


def test_ties_go_to_the_larger_score_then_the_key():
    shares = allocate(D(100), [Part("b", 1, D(1)), Part("a", 1, D(1)), Part("c", 1, D(1))])
    assert {s.key: s.amount for s in shares} == {"a": D(34), "b": D(33), "c": D(33)}
    shares = allocate(D(10), [Part("a", 1, D(1)), Part("b", 2, D(1))])  # 3.33…, 6.66…
    assert {s.key: s.amount for s in shares} == {"a": D(3), "b": D(7)}


def test_an_area_with_weight_zero_or_no_cases_gets_nothing():
    shares = allocate(D(999), [Part("a", 10, D(0)), Part("b", 0, D(2)), Part("c", 3, D("1.5"))])
    assert [s.amount for s in shares] == [D(0), D(0), D(999)]


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="nothing to allocate"):
        allocate(D(100), [Part("a", 0, D(1))])
    with pytest.raises(ValueError, match="whole"):
        allocate(D("100.5"), [Part("a", 1, D(1))])
    with pytest.raises(TypeError):
        allocate(100.0, [Part("a", 1, D(1))])
    with pytest.raises(TypeError):
        allocate(D(100), [Part("a", 1, 1.0)])


@given(
    envelope=st.integers(min_value=0, max_value=10**15),
    parts=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=5000),
            st.decimals(min_value=0, max_value=10, places=2),
        ),
        min_size=1,
        max_size=25,
    ),
)
def test_the_parts_always_add_up_to_the_envelope(envelope, parts):
    items = [Part(f"k{i}", cases, weight) for i, (cases, weight) in enumerate(parts)]
    if sum(p.cases * p.weight for p in items) == 0:
        return
    shares = allocate(D(envelope), items)
    assert sum(s.amount for s in shares) == envelope
    for share in shares:
        assert share.amount >= 0 and share.amount == share.amount.to_integral()


@pytest.mark.django_db
def test_a_proposal_counts_cases_per_aimag_and_is_audited(places):
    w = World()
    for place in ("110751", "110751", "2101"):
        w.case(place)
    officer = finance_officer("MN")
    today = timezone.localdate()
    proposal = allocation_create(
        actor=officer,
        proposal=AllocationProposal(
            name="2027 services",
            parent=location("MN"),
            year=2027,
            envelope=D(1000),
            cases_from=today - timedelta(days=30),
            cases_to=today,
        ),
    )
    shares = {s.location.code: s for s in proposal.shares.select_related("location")}
    assert len(shares) == 22, "every aimag and the capital"
    assert (shares["11"].cases, shares["21"].cases) == (2, 1)
    assert (shares["11"].amount, shares["21"].amount) == (D(667), D(333))
    allocation_weights_set(actor=officer, proposal=proposal, weights={shares["21"].pk: D(2)})
    amounts = {s.location.code: s.amount for s in proposal.shares.select_related("location")}
    assert (amounts["11"], amounts["21"]) == (D(500), D(500))
    assert sum(amounts.values()) == D(1000)
    assert (
        AuditEvent.objects.filter(
            action__in=["finance.allocation_created", "finance.allocation_weighted"],
            object_id=str(proposal.pk),
        ).count()
        == 2
    )
    empty = allocation_create(
        actor=officer,
        proposal=AllocationProposal(
            name="no cases then",
            parent=location("MN"),
            year=2027,
            envelope=D(1000),
            cases_from=date(2001, 1, 1),
            cases_to=date(2001, 12, 31),
        ),
    )
    assert sum(s.amount for s in empty.shares.all()) == 0, "nothing to go by: nothing shared"
