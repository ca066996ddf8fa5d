"""Who 1-2-1 coaching is for, and where to go instead when it is not for you.

What each group must give follows the careers unit's criteria: doctors and dentists in
training give their training number when they have one (see training_numbers.py), doctors
on a workforce scheme name the scheme, and everyone else gives neither.
"""

from __future__ import annotations

from careers_app.accounts.eligibility import (
    KSS_FOUNDATION_MESSAGE,
    PROFESSIONAL_GROUPS,
    TRAINING_STAGES,
)
from careers_app.coaching import training_numbers
from careers_app.coaching.training_numbers import Need

REGIONS = {"london": "London", "kss": "Kent, Surrey and Sussex",
           "elsewhere": "Somewhere else in England, or outside England"}
WORKFORCE_SCHEMES = {
    "induction_refresher": "Induction and Refresher (I&R)",
    "retainer": "GP Retainer",
    "igpr": "International GP Recruitment (IGPR)",
    "caps": "Clinical Apprenticeship Placement (CAPS)",
}
FORMATS = {"video": "Video call", "telephone": "Telephone", "in_person": "In person"}
# The same stages as registration, so the stage given there fills in the application.
STAGES = TRAINING_STAGES
# Labels for stages earlier applications were sent with; no longer offered.
STAGE_LABELS = {**TRAINING_STAGES, "pharmacy": "Pharmacy training"}
ELSEWHERE_MESSAGE = (
    "1-2-1 coaching here is for trainees in London and in Kent, Surrey and Sussex. Your "
    "own region's NHS England workforce, training and education team (or deanery) runs "
    "careers support for trainees there. The modules and your action plan stay open to you"
)
NO_NUMBER_MESSAGE = (
    "Enter your training number (national training number or Dean's reference number). "
    "If you are on a workforce scheme, choose that as your professional group; if you "
    "have no number, ask the careers unit whether you can use coaching"
)


def eligibility_problems(professional_group: str, region: str, stage: str,
                         training_number: str, workforce_scheme: str) -> dict[str, str]:
    """Why this applicant is not eligible, by form field; empty when they are."""
    problems: dict[str, str] = {}
    if region == "elsewhere":
        problems["region"] = ELSEWHERE_MESSAGE
    if region == "kss" and stage == "foundation":
        problems["stage"] = KSS_FOUNDATION_MESSAGE
    if professional_group not in PROFESSIONAL_GROUPS:
        problems["professional_group"] = "Choose your professional group"
    if professional_group == "workforce_scheme" and workforce_scheme not in WORKFORCE_SCHEMES:
        problems["workforce_scheme"] = "Choose the workforce scheme you are on"
    if problems:
        # Someone told to go elsewhere is not also asked to correct their number.
        return problems
    needed = training_numbers.need(professional_group, stage)
    number = training_number.strip()
    if needed == Need.REQUIRED and not number:
        problems["training_number"] = NO_NUMBER_MESSAGE
    elif needed != Need.NONE and number:
        problem = training_numbers.format_problem(number)
        if problem:
            problems["training_number"] = problem
    return problems
