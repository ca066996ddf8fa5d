from flask import Blueprint

bp = Blueprint("workshops", __name__, url_prefix="/workshops")


@bp.context_processor
def labels() -> dict[str, dict[str, str]]:
    from careers_app.workshops.models import FORMATS

    return {"formats": FORMATS}


from careers_app.workshops import facilitator_views, member_views  # noqa: E402,F401
