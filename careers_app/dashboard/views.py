"""The signed-in home page: where each person starts."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, REGIONS, TRAINING_STAGES
from careers_app.clock import uk_today
from careers_app.dashboard import bp
from careers_app.dashboard.overview import latest_application, scan_stages
from careers_app.forms import BaseForm
from careers_app.plans.service import due_actions
from careers_app.security import Role, roles_required
from careers_app.worksheets.catalogue import in_progress, next_scan_stage
from careers_app.worksheets.service import progress_by_module
from careers_app.workshops.assigned import assigned_to, groupby_workshop


@bp.get("/dashboard")
@roles_required(Role.TRAINEE)
def index() -> str:
    registry = current_app.extensions["modules"]
    progress = progress_by_module(current_user.id)
    return render_template(
        "dashboard/index.html",
        groups=PROFESSIONAL_GROUPS,
        regions=REGIONS,
        stages=TRAINING_STAGES,
        in_progress=in_progress(registry, progress),
        suggestion=next_scan_stage(registry, progress),
        started=progress,
        scan=scan_stages(registry, progress),
        application=latest_application(current_user.id),
        due=due_actions(current_user, registry, uk_today()),
        assigned=groupby_workshop(assigned_to(current_user.id, registry)),
        form=BaseForm(),
    )
