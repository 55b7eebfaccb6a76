"""OGRS 3 against every figure in shared/reference/ogrs3.md and ogrs3_coefficients.json.

Section names in the comments are the headings of reference/ogrs3.md. The whole
cases were worked by hand from the published formula ("The calculation", steps
1-6) with the full-precision figures, in 50-digit decimal arithmetic, then
rounded as step 6 says: half up to 5 decimals, then half up to a whole percent.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iom.scoring.engine import Ogrs3Inputs, Ogrs3Result, default_config, ogrs3
from iom.scoring.engine.ogrs3 import five_dp_units, risk_band, whole_percent

CONVICTED = date(2024, 6, 1)
FOLLOWUP = date(2024, 7, 1)


def score(
    gender: str, born: date, total: int, first_age: int, category: str,
    convicted: date = CONVICTED, followup: date = FOLLOWUP,
) -> Ogrs3Result:
    return ogrs3(Ogrs3Inputs(gender, born, convicted, followup, total, first_age, category))


def amount(result: Ogrs3Result, rule: str) -> float:
    (line,) = [c for c in result.working if c.rule == rule]
    return line.amount


# --- "Intercepts and scalar parameters", full-precision column --------------------------


def test_intercepts_and_scalars_are_the_published_full_precision_figures() -> None:
    c = default_config().ogrs3
    assert c.intercept_1y == 1.402562384
    assert c.intercept_2y == 2.121705678
    assert c.copas == 1.251124464
    assert c.first_sanction == 0.126142106
    assert c.repeat_offender == 0.463062792


# --- "Age/gender parameters", full-precision columns; each band at its lowest and
# highest age ("age at start of follow-up") --------------------------------------------

AGE_GENDER = [
    # (age, male, female, band)
    (10, 0.0, -0.785038489, "10-11"),
    (11, 0.0, -0.785038489, "10-11"),
    (12, 0.083922902, -0.613852078, "12-13"),
    (13, 0.083922902, -0.613852078, "12-13"),
    (14, 0.075775765, -0.669521331, "14-15"),
    (15, 0.075775765, -0.669521331, "14-15"),
    (16, -0.061594199, -0.959179629, "16-17"),
    (17, -0.061594199, -0.959179629, "16-17"),
    (18, -0.625103618, -0.897480934, "18-20"),
    (20, -0.625103618, -0.897480934, "18-20"),
    (21, -1.051515067, -1.028488454, "21-24"),
    (24, -1.051515067, -1.028488454, "21-24"),
    (25, -1.166679288, -1.052777806, "25-29"),
    (29, -1.166679288, -1.052777806, "25-29"),
    (30, -1.325976554, -1.129127959, "30-34"),
    (34, -1.325976554, -1.129127959, "30-34"),
    (35, -1.368045933, -1.421874940, "35-39"),
    (39, -1.368045933, -1.421874940, "35-39"),
    (40, -1.499690953, -1.524652221, "40-49"),
    (49, -1.499690953, -1.524652221, "40-49"),
    (50, -2.025261458, -2.449837160, "50+"),
    (87, -2.025261458, -2.449837160, "50+"),
]


@pytest.mark.parametrize(("age", "male", "female", "band"), AGE_GENDER)
def test_age_gender_parameter_for_every_band(
    age: int, male: float, female: float, band: str
) -> None:
    born = date(2024 - age, 1, 1)  # the same whole age on both dates
    for gender, expected in (("M", male), ("F", female)):
        result = score(gender, born, 2, 10, "violence")
        assert result.error is None
        assert amount(result, "ogrs3_age_gender") == expected
        assert f"band {band}" in next(c.detail for c in result.working
                                      if c.rule == "ogrs3_age_gender")


def test_female_ages_10_to_15_are_negative() -> None:
    # "Disagreements between sources" 2: the reference uses the negative values.
    table = default_config().ogrs3.female_age
    assert (table["10-11"], table["12-13"], table["14-15"]) == (
        -0.785038489, -0.613852078, -0.669521331)


# --- "Offence category parameters", full-precision column ------------------------------

OFFENCES = [
    ("violence", 0.0),
    ("robbery", -0.634795912),
    ("public_order", 0.181917975),
    ("sexual_not_against_child", 0.003276327),  # disagreement 3: not ARNS's 0.0328
    ("sexual_against_child", -0.653434071),
    ("soliciting_or_prostitution", 0.760608858),
    ("burglary_domestic", -0.123943520),
    ("burglary_other", 0.240604429),
    ("theft_non_motor", 0.661244321),
    ("handling_stolen_goods", 0.351866973),
    ("fraud_and_forgery", 0.159910192),
    ("absconding_or_bail", 0.733378677),
    ("taking_and_driving_away", 0.380059431),
    ("theft_from_vehicles", 0.427225615),
    ("other_motoring", 0.262228428),  # disagreement 1: not the rsr-calculator's label
    ("drink_driving", -0.121439408),  # disagreement 1
    ("criminal_damage", 0.204960477),
    ("drug_import_export_production", -0.795556373),
    ("drug_possession_supply", 0.077165871),
    ("other_offence", -0.060667525),
]


@pytest.mark.parametrize(("category", "parameter"), OFFENCES)
def test_offence_parameter_for_every_category(category: str, parameter: float) -> None:
    result = score("M", date(1990, 1, 1), 3, 16, category)
    assert amount(result, "ogrs3_offence") == parameter


def test_there_are_exactly_the_twenty_published_categories() -> None:
    assert set(default_config().ogrs3.offence_parameters) == {k for k, _ in OFFENCES}


# --- "Mapping offences to categories" and disagreement 1: drink and drug driving take
# -0.1214 (ARNS 004/06), dangerous and other driving 0.2622 (ARNS 802, 004/04, 004/08) ----

@pytest.mark.parametrize(("code", "category"), [
    ("4.6", "drink_driving"),  # causing death by careless driving under the influence
    ("4.4", "other_motoring"),  # causing death by dangerous driving
    ("4.8", "other_motoring"),  # causing death by careless driving
    ("802", "other_motoring"),  # dangerous driving
])
def test_driving_codes_follow_the_majority_of_sources(code: str, category: str) -> None:
    inputs = Ogrs3Inputs("M", date(1990, 1, 1), CONVICTED, FOLLOWUP, 3, 16, offence_code=code)
    result = ogrs3(inputs)
    assert result.error is None
    assert amount(result, "ogrs3_offence") == dict(OFFENCES)[category]


# --- "The calculation" steps 2-3: sanction parameter and Copas rate --------------------

def test_first_sanction_applies_only_when_the_total_is_one() -> None:
    born = date(1990, 1, 1)
    assert amount(score("M", born, 1, 34, "violence"), "ogrs3_sanction") == 0.126142106
    assert amount(score("M", born, 2, 34, "violence"), "ogrs3_sanction") == 0.463062792


def test_copas_rate_uses_age_at_conviction_not_at_follow_up() -> None:
    # Born 15 June 2003: 20 at conviction on 1 June 2024, 21 at follow-up on 1 July 2024.
    # Copas: 1.251124464 x ln(3 / (10 + 20 - 14)); age band from 21: 21-24.
    result = score("M", date(2003, 6, 15), 3, 14, "violence")
    assert amount(result, "ogrs3_copas_rate") == pytest.approx(
        1.251124464 * math.log(3 / 16), rel=1e-15)
    assert amount(result, "ogrs3_age_gender") == -1.051515067


# --- Whole cases, worked by hand from "The calculation" --------------------------------

CASES = [
    # gender, born, convicted, follow-up, total, first age, category,
    # hand-worked p1 and p2 (12 places), 5-decimal p1 and p2, percents, band
    pytest.param("M", date(1991, 1, 1), CONVICTED, FOLLOWUP, 5, 15, "burglary_domestic",
                 0.149352272114, 0.264920857432, "0.14935", "0.26492", 15, 26, "low",
                 id="male-33-burglary-domestic"),
    pytest.param("F", date(2005, 1, 1), CONVICTED, FOLLOWUP, 1, 19, "theft_non_motor",
                 0.169615791912, 0.295418842435, "0.16962", "0.29542", 17, 30, "low",
                 id="female-19-first-sanction"),
    pytest.param("M", date(2002, 1, 1), CONVICTED, FOLLOWUP, 12, 14, "theft_non_motor",
                 0.724734065006, 0.843856949011, "0.72473", "0.84386", 72, 84, "high",
                 id="male-22-twelve-sanctions"),
    pytest.param("F", date(1979, 1, 1), CONVICTED, FOLLOWUP, 3, 30, "violence",
                 0.090155264032, 0.169018784360, "0.09016", "0.16902", 9, 17, "low",
                 id="female-45-violence"),
    pytest.param("M", date(2007, 1, 1), CONVICTED, FOLLOWUP, 2, 16, "robbery",
                 0.276154600338, 0.439184177871, "0.27615", "0.43918", 28, 44, "low",
                 id="male-17-robbery"),
    pytest.param("M", date(1997, 1, 1), CONVICTED, FOLLOWUP, 4, 20, "drink_driving",
                 0.225697108546, 0.374343900589, "0.22570", "0.37434", 23, 37, "low",
                 id="male-27-drink-driving"),
    pytest.param("M", date(1997, 1, 1), CONVICTED, FOLLOWUP, 4, 20, "other_motoring",
                 0.299621388948, 0.467556117778, "0.29962", "0.46756", 30, 47, "low",
                 id="male-27-other-motoring"),
    pytest.param("F", date(2011, 1, 1), CONVICTED, FOLLOWUP, 2, 12, "sexual_not_against_child",
                 0.293633337265, 0.460418166216, "0.29363", "0.46042", 29, 46, "low",
                 id="female-13-sexual-not-against-child"),
    pytest.param("M", date(1986, 1, 1), CONVICTED, FOLLOWUP, 20, 12, "absconding_or_bail",
                 0.621416206065, 0.771130727689, "0.62142", "0.77113", 62, 77, "high",
                 id="male-38-twenty-sanctions"),
    pytest.param("M", date(2001, 1, 1), CONVICTED, FOLLOWUP, 6, 16, "taking_and_driving_away",
                 0.472822093519, 0.648014801537, "0.47282", "0.64801", 47, 65, "medium",
                 id="male-23-medium"),
    pytest.param("F", date(2009, 1, 1), CONVICTED, FOLLOWUP, 3, 12, "public_order",
                 0.387804967713, 0.565274076913, "0.38780", "0.56527", 39, 57, "medium",
                 id="female-15-public-order"),
    pytest.param("F", date(2014, 1, 1), CONVICTED, FOLLOWUP, 1, 10, "violence",
                 0.105537698232, 0.194973546923, "0.10554", "0.19497", 11, 19, "low",
                 id="female-10-youngest-band"),
    pytest.param("M", date(2011, 1, 1), CONVICTED, FOLLOWUP, 2, 11, "taking_and_driving_away",
                 0.521959215978, 0.691477683270, "0.52196", "0.69148", 52, 69, "medium",
                 id="male-13"),
    pytest.param("M", date(2009, 1, 1), CONVICTED, FOLLOWUP, 2, 12, "violence",
                 0.401202652757, 0.579004167254, "0.40120", "0.57900", 40, 58, "medium",
                 id="male-15"),
    pytest.param("M", date(1980, 1, 1), CONVICTED, FOLLOWUP, 2, 40, "violence",
                 0.112182263474, 0.205952409766, "0.11218", "0.20595", 11, 21, "low",
                 id="male-44"),
    pytest.param("M", date(2004, 1, 1), CONVICTED, FOLLOWUP, 30, 12, "theft_non_motor",
                 0.926957910275, 0.963031346373, "0.92696", "0.96303", 93, 96, "very_high",
                 id="male-20-very-high"),
    pytest.param("M", date(1944, 1, 1), CONVICTED, FOLLOWUP, 1, 80,
                 "drug_import_export_production",
                 0.015173217828, 0.030656016789, "0.01517", "0.03066", 2, 3, "low",
                 id="male-80-first-sanction"),
    # Step 6: more than 99 % is shown as 99 % (1 year 99.545 %, 2 years 99.778 %).
    pytest.param("M", date(2013, 1, 1), CONVICTED, FOLLOWUP, 100, 10,
                 "soliciting_or_prostitution",
                 0.995448831353, 0.997777622746, "0.99545", "0.99778", 99, 99, "very_high",
                 id="shown-as-99"),
    # Step 6: 0 % or less is shown as 1 % (1 year 0.057 %, 2 years 0.117 %).
    pytest.param("F", date(1925, 1, 1), CONVICTED, FOLLOWUP, 1, 10,
                 "drug_import_export_production",
                 0.000572024869, 0.001173473915, "0.00057", "0.00117", 1, 1, "low",
                 id="shown-as-1"),
    # Age at conviction 20 (Copas), at follow-up 21 (band 21-24).
    pytest.param("M", date(2003, 6, 15), CONVICTED, FOLLOWUP, 3, 14, "violence",
                 0.217508903424, 0.363293102871, "0.21751", "0.36329", 22, 36, "low",
                 id="birthday-between-conviction-and-follow-up"),
    # "Whole-year ages": born 29 February 2004, 17 on 28 February 2022 (band 16-17) ...
    pytest.param("M", date(2004, 2, 29), date(2021, 6, 1), date(2022, 2, 28), 2, 15,
                 "violence", 0.392293171598, 0.569904166539, "0.39229", "0.56990", 39, 57,
                 "medium", id="leap-day-birthday-not-yet"),
    # ... and 18 on 1 March 2022 (band 18-20); age at conviction stays 17.
    pytest.param("M", date(2004, 2, 29), date(2021, 6, 1), date(2022, 3, 1), 2, 15,
                 "violence", 0.268707016907, 0.429951446017, "0.26871", "0.42995", 27, 43,
                 "low", id="leap-day-birthday-on-1-march"),
]


@pytest.mark.parametrize(
    ("gender", "born", "convicted", "followup", "total", "first_age", "category",
     "p1", "p2", "p1_5dp", "p2_5dp", "pct1", "pct2", "band"), CASES)
def test_hand_worked_cases(
    gender: str, born: date, convicted: date, followup: date, total: int, first_age: int,
    category: str, p1: float, p2: float, p1_5dp: str, p2_5dp: str, pct1: int, pct2: int,
    band: str,
) -> None:
    result = score(gender, born, total, first_age, category, convicted, followup)
    assert result.error is None, result.error
    assert result.probability_1y == pytest.approx(p1, abs=1e-12)
    assert result.probability_2y == pytest.approx(p2, abs=1e-12)
    assert result.probability_1y is not None and result.probability_2y is not None
    assert five_dp_units(result.probability_1y) == int(Decimal(p1_5dp) * 100000)
    assert five_dp_units(result.probability_2y) == int(Decimal(p2_5dp) * 100000)
    assert (result.percent_1y, result.percent_2y, result.band) == (pct1, pct2, band)
    assert result.value == result.probability_2y


def test_working_sums_to_the_score() -> None:
    # x = sum of steps 1-4 for the first hand-worked case: -3.142252718.
    result = score("M", date(1991, 1, 1), 5, 15, "burglary_domestic")
    rules = ("ogrs3_age_gender", "ogrs3_sanction", "ogrs3_copas_rate", "ogrs3_offence")
    assert sum(amount(result, r) for r in rules) == pytest.approx(-3.142252718, abs=1e-9)


# --- Step 6, "Presentation": rounding ------------------------------------------------

@pytest.mark.parametrize(("p", "units"), [
    (0.149352272114, 14935),
    (0.123456, 12346),
    (0.123454, 12345),
    (0.123455, 12345),  # the double just below 0.123455: half up on its exact value
    (0.005, 500),
    (0.0, 0),
    (1.0, 100000),
])
def test_probability_rounded_half_up_to_five_decimals(p: float, units: int) -> None:
    assert five_dp_units(p) == units


@given(st.floats(min_value=0.0, max_value=1.0))
def test_five_decimal_rounding_is_half_up_on_the_exact_value(p: float) -> None:
    exact = Decimal(p).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
    assert five_dp_units(p) == int(exact * 100000)


@pytest.mark.parametrize(("p", "percent"), [
    (0.494996, 50),  # 5 decimals first (0.49500), then half up: 50, not 49
    (0.494994, 49),
    (0.015, 2),  # 0.01500 -> 1.5 -> 2
    (0.0149949, 1),
    (0.00499, 1),  # 0 % is shown as 1 %
    (0.0, 1),
    (0.99, 99),
    (0.994994, 99),
    (0.995, 99),  # 99.5 rounds to 100: more than 99 % is shown as 99 %
    (1.0, 99),
])
def test_whole_percent_as_users_see_it(p: float, percent: int) -> None:
    assert whole_percent(p) == percent


# --- Risk bands on the 2-year percent (ogrs3_coefficients.json
# "risk_bands_on_2_year_percent"; ogrs3.md step 6) -------------------------------------

@pytest.mark.parametrize(("percent", "band"), [
    (1, "low"), (49, "low"), (50, "medium"), (74, "medium"), (75, "high"), (89, "high"),
    (90, "very_high"), (99, "very_high"),
])
def test_risk_band_boundaries(percent: int, band: str) -> None:
    assert risk_band(percent, default_config().ogrs3) == band
