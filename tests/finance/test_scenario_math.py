"""A small scenario computed by hand, matched exactly by the code (Decimal, no tolerance).

Assumptions: 2 years from 2027, inflation 10 %; 60 cases per social worker, 8 workers per
supervisor, 24,000,000 and 30,000,000 ₮ a year.
Area X: 10,000 children, growth 2 %, 12.5 cases per 1,000, multiplier 1.2.
Area Y: 3,333 children, growth 0 %, 15 cases per 1,000, multiplier 1.
Mix per case: shelter (emergency) 2.5 nights × 45,000.50; psychosocial (protection) 4 × 30,000;
family support (prevention) 1.333 × 25,000.

2027 (price 1)
  X: children 10,000; cases R(125) = 125; workers ⌈125/60⌉ = 3; supervisors ⌈3/8⌉ = 1
     emergency  125 × 2.5 × 45,000.50 × 1.2 = 16,875,187.5 → 16,875,188
     protection 125 × 4 × 30,000 × 1.2       = 18,000,000
     prevention 125 × 1.333 × 25,000 × 1.2   = 4,998,750
     workforce  3 × 24,000,000 + 1 × 30,000,000 = 102,000,000
  Y: children 3,333; cases R(49.995) = 50; workers 1; supervisors 1
     emergency  50 × 2.5 × 45,000.50 = 5,625,062.5 → 5,625,063
     protection 6,000,000; prevention 1,666,250; workforce 54,000,000
2028 (price 1.1)
  X: children R(10,200) = 10,200; cases R(127.5) = 128; workers 3; supervisors 1
     emergency  128 × 2.5 × 45,000.50 × 1.2 × 1.1 = 19,008,211.2 → 19,008,211
     protection 128 × 4 × 30,000 × 1.32 = 20,275,200
     prevention 128 × 1.333 × 25,000 × 1.32 = 5,630,592
     workforce  102,000,000 × 1.1 = 112,200,000
  Y: emergency 5,625,062.5 × 1.1 = 6,187,568.75 → 6,187,569
     protection 6,600,000; prevention 1,832,875; workforce 59,400,000
Required: 2027 = 209,165,251; 2028 = 231,134,447.
Allocated: X emergency 2027 = 10,000,000; X workforce 2028 = 20,000,000.
"""

from decimal import Decimal

import pytest

from cpims.finance import scenario_math as sm

D = Decimal


def assumptions(**overrides) -> sm.Assumptions:
    values = {
        "start_year": 2027,
        "horizon": 2,
        "inflation": D("10"),
        "areas": (
            sm.AreaAssumption("X", "X", 10000, D("2"), D("12.5"), D("1.2")),
            sm.AreaAssumption("Y", "Y", 3333, D("0"), D("15"), D("1")),
        ),
        "mix": (
            sm.MixAssumption("shelter", "emergency", D("2.5"), D("45000.50")),
            sm.MixAssumption("psychosocial", "protection", D("4"), D("30000")),
            sm.MixAssumption("family_support", "prevention", D("1.333"), D("25000")),
        ),
        "workforce": sm.Workforce(60, 8, D("24000000"), D("30000000")),
        "allocated": {
            (2027, "X", "emergency"): D("10000000"),
            (2028, "X", "workforce"): D("20000000"),
        },
    }
    values.update(overrides)
    return sm.Assumptions(**values)


def test_a_small_scenario_computed_by_hand_is_matched_exactly():
    result = sm.compute(assumptions())
    required = {(ln.year, ln.area, ln.level): ln.required for ln in result.lines}
    assert required == {
        (2027, "X", "emergency"): D("16875188"),
        (2027, "X", "protection"): D("18000000"),
        (2027, "X", "rehabilitation"): D("0"),
        (2027, "X", "prevention"): D("4998750"),
        (2027, "X", "workforce"): D("102000000"),
        (2027, "Y", "emergency"): D("5625063"),
        (2027, "Y", "protection"): D("6000000"),
        (2027, "Y", "rehabilitation"): D("0"),
        (2027, "Y", "prevention"): D("1666250"),
        (2027, "Y", "workforce"): D("54000000"),
        (2028, "X", "emergency"): D("19008211"),
        (2028, "X", "protection"): D("20275200"),
        (2028, "X", "rehabilitation"): D("0"),
        (2028, "X", "prevention"): D("5630592"),
        (2028, "X", "workforce"): D("112200000"),
        (2028, "Y", "emergency"): D("6187569"),
        (2028, "Y", "protection"): D("6600000"),
        (2028, "Y", "rehabilitation"): D("0"),
        (2028, "Y", "prevention"): D("1832875"),
        (2028, "Y", "workforce"): D("59400000"),
    }
    staff = {
        (r.year, r.area): (r.children, r.cases, r.workers, r.supervisors) for r in result.area_years
    }
    assert staff == {
        (2027, "X"): (10000, 125, 3, 1),
        (2027, "Y"): (3333, 50, 1, 1),
        (2028, "X"): (10200, 128, 3, 1),
        (2028, "Y"): (3333, 50, 1, 1),
    }
    assert result.total(year=2027) == (D("209165251"), D("10000000"), D("199165251"))
    assert result.total(year=2028) == (D("231134447"), D("20000000"), D("211134447"))
    assert result.total(year=2028, area="X", level="workforce") == (
        D("112200000"),
        D("20000000"),
        D("92200000"),
    )
    assert result.staff(year=2028) == (178, 4, 2)
    for ln in result.lines:
        assert isinstance(ln.required, Decimal) and ln.required == ln.required.to_integral()


def test_totals_are_sums_of_rounded_lines():
    result = sm.compute(assumptions(horizon=5))
    for year in range(2027, 2032):
        lines = [ln.required for ln in result.lines if ln.year == year]
        assert result.total(year=year)[0] == sum(lines, D(0))
    assert result.total()[0] == sum((ln.required for ln in result.lines), D(0))


@pytest.mark.parametrize("horizon", [0, 6])
def test_the_horizon_is_one_to_five_years(horizon):
    with pytest.raises(ValueError, match="horizon"):
        sm.compute(assumptions(horizon=horizon))


def test_floats_are_refused():
    with pytest.raises(TypeError):
        sm.compute(assumptions(inflation=10.0))
    mix = (sm.MixAssumption("shelter", "emergency", 2.5, D("45000")),)
    with pytest.raises(TypeError):
        sm.compute(assumptions(mix=mix))


def test_no_cases_means_no_staff_and_no_service_cost():
    areas = (sm.AreaAssumption("Z", "Z", 0, D("0"), D("10")),)
    result = sm.compute(assumptions(areas=areas, allocated={}))
    assert result.total() == (D(0), D(0), D(0))
    assert result.staff() == (0, 0, 0)
