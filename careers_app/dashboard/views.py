"""The signed-in home page: where each person starts."""

from __future__ import annotations

from flask import render_template

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, REGIONS, TRAINING_STAGES
from careers_app.dashboard import bp
from careers_app.security import Role, roles_required


@bp.get("/dashboard")
@roles_required(Role.TRAINEE)
def index() -> str:
    return render_template(
        "dashboard/index.html",
        groups=PROFESSIONAL_GROUPS,
        regions=REGIONS,
        stages=TRAINING_STAGES,
    )
