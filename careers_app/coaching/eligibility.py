"""Who 1-2-1 coaching is for, and where to go instead when it is not for you."""

from __future__ import annotations

from careers_app.accounts.eligibility import KSS_FOUNDATION_MESSAGE, PROFESSIONAL_GROUPS

REGIONS = {"london": "London", "kss": "Kent, Surrey and Sussex",
           "elsewhere": "Somewhere else in England, or outside England"}
WORKFORCE_SCHEMES = {
    "induction_refresher": "Induction and Refresher (I&R)",
    "retainer": "GP Retainer",
    "igpr": "International GP Recruitment (IGPR)",
    "caps": "Clinical Apprenticeship Placement (CAPS)",
}
FORMATS = {"video": "Video call", "telephone": "Telephone", "in_person": "In person"}
STAGES = {
    "foundation": "Foundation (F1 or F2)", "core": "Core or early specialty training",
    "higher": "Higher specialty training", "gp": "GP specialty training",
    "band_5_6": "Band 5 or 6", "band_7_8": "Band 7 or 8",
    "pharmacy": "Pharmacy training", "dental": "Dental training",
    "workforce_scheme": "On a workforce scheme", "other": "Other",
}
ELSEWHERE_MESSAGE = (
    "1-2-1 coaching here is for trainees in London and in Kent, Surrey and Sussex. Your "
    "own region's NHS England workforce, training and education team (or deanery) runs "
    "careers support for trainees there. The modules and your action plan stay open to you"
)
NO_NUMBER_MESSAGE = (
    "Enter your training number, or choose a workforce scheme. If you have neither, ask "
    "your educational supervisor or the careers unit whether you can use coaching"
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
    on_scheme = professional_group == "workforce_scheme"
    if on_scheme and workforce_scheme not in WORKFORCE_SCHEMES:
        problems["workforce_scheme"] = "Choose the workforce scheme you are on"
    if not on_scheme and not training_number.strip() and workforce_scheme not in WORKFORCE_SCHEMES:
        problems["training_number"] = NO_NUMBER_MESSAGE
    return problems
