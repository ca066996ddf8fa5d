from flask import Blueprint
from markupsafe import Markup

bp = Blueprint("coaching", __name__, url_prefix="/coaching")

@bp.context_processor
def labels() -> dict[str, dict[str, str]]:
    """Readable names for stored codes, for every coaching page."""
    from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS
    from careers_app.coaching.eligibility import FORMATS, REGIONS, STAGE_LABELS, WORKFORCE_SCHEMES

    return {"groups": PROFESSIONAL_GROUPS, "regions": REGIONS, "stages": STAGE_LABELS,
            "schemes": WORKFORCE_SCHEMES, "formats": FORMATS}


@bp.app_template_filter("web_links")
def web_links_filter(text: str | None) -> Markup:
    """An appointment's video link as a real link; any other text stays text."""
    from careers_app.coaching.links import web_links

    return web_links(text)


from careers_app.coaching import coach_views, coordinator_views, trainee_views  # noqa: E402,F401
