"""Who the service is for: the eligible professional groups, regions and training stages.

The groups follow the careers unit's published eligibility list. Stored values are
stable codes; the labels may be reworded freely.
"""

from __future__ import annotations

PROFESSIONAL_GROUPS: dict[str, str] = {
    "doctor_dentist": "Doctor or dentist in training, from foundation to CCT",
    "healthcare_professional": (
        "Nurse, midwife or other healthcare professional (bands 5 to 8) on a training scheme"
    ),
    "pharmacy": "Pharmacist or pharmacy technician in training",
    "workforce_scheme": "Doctor on a workforce scheme (I&R, Retainer, IGPR or CAPS)",
    "healthcare_science": "Healthcare science trainee (STP or HSST)",
}

REGIONS: dict[str, str] = {
    "london": "London",
    "kss": "Kent, Surrey and Sussex",
}

TRAINING_STAGES: dict[str, str] = {
    "foundation": "Foundation doctor (F1 or F2)",
    "core": "Core or early specialty training (CT1 to ST3)",
    "higher": "Higher specialty training (ST4 and above)",
    "gp": "GP specialty training",
    "dental": "Dental foundation or specialty training",
    "band_5_6": "Band 5 or 6",
    "band_7_8": "Band 7 or 8",
    "pharmacy_early": "Pre-registration pharmacist or pharmacy technician",
    "pharmacy_foundation": "Foundation or GP pathway pharmacist",
    "workforce_scheme": "On a workforce scheme",
    "healthcare_science": "Scientist training (STP or HSST)",
    "other": "Other",
}

KSS_FOUNDATION_MESSAGE = (
    "Foundation doctors in Kent, Surrey and Sussex get careers support from KSS's own "
    "professional support and wellbeing service, not this one"
)


def eligibility_problem(region: str, training_stage: str) -> str | None:
    """Why this combination is served elsewhere, or None when it is eligible here."""
    if region == "kss" and training_stage == "foundation":
        return KSS_FOUNDATION_MESSAGE
    return None
