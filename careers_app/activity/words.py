"""Plain words for every action the audit log records, as the person it is about reads them.

Each action says in which role the person who did it acted (as the trainee knows them:
their coach, a coordinator, a workshop facilitator) and what they did, written to
follow their name. "{workshop}", "{appointment}" and "{coach}" are filled in from the
event's target when the page is drawn; the event itself holds ids only.

tests/test_activity_page.py fails when the code records an action that has no words here.
"""

from __future__ import annotations

from dataclasses import dataclass

COACH = "coach"
COORDINATOR = "coaching coordinator"
FACILITATOR = "workshop facilitator"


@dataclass(frozen=True)
class Words:
    role: str | None  # None: something the trainee does themselves
    what: str


_APPLICATION = "your application for careers coaching"
_SHARED_PLAN = "the action plan you shared with them"

WORDS: dict[str, Words] = {
    # The trainee's own plan and its shares (careers_app/plans/sharing.py).
    "snapshot_taken": Words(None, "saved a copy of your action plan to send"),
    "share_created": Words(None, "shared your action plan with {coach}"),
    "share_revoked": Words(None, "stopped sharing your action plan with {coach}"),
    "share_viewed": Words(COACH, f"looked at {_SHARED_PLAN}"),
    "share_pdf_downloaded": Words(COACH, f"downloaded the PDF of {_SHARED_PLAN}"),
    "comment_added": Words(COACH, f"commented on {_SHARED_PLAN}"),
    # The application's moves (careers_app/coaching/workflow.py).
    "application_submitted": Words(None, f"sent {_APPLICATION}"),
    "application_allocated": Words(COORDINATOR, f"allocated a coach to {_APPLICATION}"),
    "application_reallocated": Words(  # careers_app/coaching/handover.py
        COORDINATOR, f"moved {_APPLICATION} to another coach"),
    "application_active": Words(COACH, "started your coaching by booking a first appointment"),
    "application_closed": Words(COACH, "closed your coaching"),
    "application_declined": Words(COORDINATOR, f"declined {_APPLICATION}"),
    "application_withdrawn": Words(None, f"withdrew {_APPLICATION}"),
    # Looks at the application and its attached plan (careers_app/coaching).
    "application_viewed_by_coordinator": Words(COORDINATOR, f"looked at {_APPLICATION}"),
    "application_viewed_by_coach": Words(
        COACH, f"looked at {_APPLICATION} and your appointments"),
    "attached_plan_downloaded_by_coach": Words(
        COACH, f"downloaded the action plan attached to {_APPLICATION}"),
    "attached_plan_downloaded_by_coordinator": Words(
        COORDINATOR, f"downloaded the action plan attached to {_APPLICATION}"),
    # Appointments (careers_app/coaching/workflow.py and service.py).
    "appointment_booked": Words(COACH, "booked a coaching appointment for {appointment}"),
    "appointment_attended": Words(
        COACH, "recorded that you came to your coaching appointment on {appointment}"),
    "appointment_did_not_attend": Words(
        COACH, "recorded that you did not come to your coaching appointment on {appointment}"),
    "appointment_cancelled_by_trainee": Words(
        None, "cancelled your coaching appointment on {appointment}"),
    "appointment_cancelled_by_coach": Words(
        COACH, "cancelled the coaching appointment on {appointment}, which does not count "
               "against your allowance"),
    "appointment_moved": Words(
        COACH, "moved your coaching appointment (its time is now {appointment})"),
    "appointment_waived": Words(
        COACH, "gave back to your allowance the appointment on {appointment} that was "
               "cancelled late"),
    # Workshops (careers_app/workshops/facilitator_views.py).
    "shown_answers_viewed": Words(
        FACILITATOR, "looked at answers you chose to show to the workshop “{workshop}”"),
    # Roles (careers_app/admin/views.py).
    "role_granted_coach": Words(COORDINATOR, "gave you the coach role"),
    "role_granted_facilitator": Words(COORDINATOR, "gave you the workshop facilitator role"),
    "role_granted_coordinator": Words(COORDINATOR, "gave you the coordinator role"),
    "role_removed_coach": Words(COORDINATOR, "took away your coach role"),
    "role_removed_facilitator": Words(COORDINATOR, "took away your workshop facilitator role"),
    "role_removed_coordinator": Words(COORDINATOR, "took away your coordinator role"),
    # Your information as a whole (careers_app/personal_data, careers_app/account_deletion).
    "data_exported": Words(None, "downloaded a copy of all your information"),
    "account_deleted": Words(None, "deleted the account"),
}

# Shown, and logged as a warning, for an action recorded before its words were written.
UNKNOWN = Words(None, "did something with your information")
