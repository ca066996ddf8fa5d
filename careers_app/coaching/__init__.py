from flask import Blueprint

bp = Blueprint("coaching", __name__, url_prefix="/coaching")

@bp.context_processor
def labels() -> dict[str, dict[str, str]]:
    """Readable names for stored codes, for every coaching page."""
    from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS
    from careers_app.coaching.eligibility import FORMATS, REGIONS, STAGES, WORKFORCE_SCHEMES

    return {"groups": PROFESSIONAL_GROUPS, "regions": REGIONS, "stages": STAGES,
            "schemes": WORKFORCE_SCHEMES, "formats": FORMATS}


from careers_app.coaching import coach_views, coordinator_views, trainee_views  # noqa: E402,F401
