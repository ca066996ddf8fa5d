from flask import Blueprint

bp = Blueprint("public", __name__)


@bp.app_context_processor
def promises() -> dict[str, object]:
    """Coaching's rules in words, for every page that describes them (public and coaching)."""
    from careers_app.coaching.promises import coaching_promises

    return {"coaching_promises": coaching_promises()}


from careers_app.public import views  # noqa: E402,F401
