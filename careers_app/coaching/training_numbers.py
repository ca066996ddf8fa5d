"""Which trainees have a training number, and what one looks like.

Doctors and dentists in specialty training hold a national training number (NTN); core
trainees hold a Dean's reference number (DRN) written the same way. Each is four parts
separated by slashes: the region (LDN for London, KSS for Kent, Surrey and Sussex), the
specialty code (three letters or digits; a dual or sub-specialty programme joins more
codes with "-" or "."), the holder's GMC number (7 digits) or GDC number, and a suffix:
C for a CCT programme, CP for CESR(CP), D for a DRN. For example LDN/ABC/1234567/C.

Foundation doctors, nurses, midwives and other professionals in bands 5 to 8, pharmacists
and pharmacy technicians in training, healthcare scientists and doctors on workforce
schemes have no such number. Dentists in foundation or core training have none either,
while dental specialty trainees do, so for dental training the number is optional.
"""

from __future__ import annotations

import enum
import re

EXAMPLE = "LDN/ABC/1234567/C"
OUR_REGIONS = {"LDN", "KSS"}

# Numbers in the older format (NHS Data Dictionary: region, 3-digit specialty, 3-digit
# holder, one-letter suffix) are still accepted, so the holder part takes 3 to 7 digits.
_SHAPE = re.compile(
    r"(?P<region>[A-Z]{3})/[A-Z0-9]{3}(?:[.-][A-Z0-9]{3})*/\d{3,7}/[A-Z]{1,2}")


class Need(enum.StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


# Stages at which a doctor or dentist has no number yet (foundation) or may not (dental).
_DOCTOR_STAGES_WITHOUT = {"foundation": Need.NONE, "dental": Need.OPTIONAL}


def need(professional_group: str, stage: str) -> Need:
    """Whether someone in this group, at this stage, has a training number to give."""
    if professional_group != "doctor_dentist":
        return Need.NONE
    return _DOCTOR_STAGES_WITHOUT.get(stage, Need.REQUIRED)


def tidy(number: str) -> str:
    """Capitals and no spaces, as numbers are printed: "ldn / abc/…" becomes "LDN/ABC/…"."""
    return re.sub(r"\s+", "", number).upper()


def format_problem(number: str) -> str | None:
    """Why ``number`` is not a London or KSS training number, or None when it is one."""
    found = _SHAPE.fullmatch(tidy(number))
    if found is None:
        return (f"Enter your training number in the form {EXAMPLE}: LDN or KSS, your "
                "specialty code, your GMC or GDC number, then C, CP or D, separated by "
                "slashes")
    if found["region"] not in OUR_REGIONS:
        return (f"Your training number starts {found['region']}, so it is from a region "
                "outside London and Kent, Surrey and Sussex. Your own region's NHS England "
                "workforce, training and education team (or deanery) runs careers support "
                "for you")
    return None
