"""The header: navigation by role and the sign-out button."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from careers_app.fragments import fill, fragments, slot
from careers_app.security import Role, viewer_is_signed_in


@dataclass(frozen=True)
class NavigationEntry:
    text: str
    endpoint: str
    roles: frozenset[Role]


# Later features add their areas here; an entry shows only once its view exists.
NAVIGATION = (
    NavigationEntry("Dashboard", "dashboard.index", frozenset({Role.TRAINEE})),
    NavigationEntry("Modules", "worksheets.catalogue", frozenset({Role.TRAINEE})),
    NavigationEntry("My action plan", "plans.index", frozenset({Role.TRAINEE})),
    NavigationEntry("1-2-1 coaching", "coaching.apply", frozenset({Role.TRAINEE})),
    NavigationEntry("Shared with me", "plans.shared_with_me", frozenset({Role.COACH})),
    NavigationEntry("Coaching queue", "coaching.queue", frozenset({Role.COORDINATOR})),
    NavigationEntry("My caseload", "coaching.caseload", frozenset({Role.COACH})),
    NavigationEntry("Workshops", "workshops.index", frozenset({Role.FACILITATOR})),
    NavigationEntry("Users and roles", "admin.users", frozenset({Role.COORDINATOR})),
)


def navigation_items() -> list[dict[str, object]]:
    """The areas the signed-in person's roles give them, for the NHS.UK header."""
    if not viewer_is_signed_in():
        return []
    items = []
    for entry in NAVIGATION:
        if entry.endpoint in current_app.view_functions and current_user.has_any_role(entry.roles):
            items.append(
                {
                    "text": entry.text,
                    "href": url_for(entry.endpoint),
                    "current": request.endpoint == entry.endpoint,
                }
            )
    return items


def sign_out_button_html(token: str) -> Markup:
    """Content for the header's sign-out form button.

    The NHS.UK header renders account actions as a POST form with no CSRF field; a
    hidden input is allowed inside a button and still belongs to that form.
    """
    return Markup(f'<input type="hidden" name="csrf_token" value="{token}">Sign out')  # noqa: S704


def site_header() -> Markup:
    """The header, drawn once per name and navigation and kept (careers_app/fragments.py).

    The key is everything the header shows; the CSRF token of the sign-out button is a
    slot, filled for each request.
    """
    signed_in = viewer_is_signed_in()
    full_name = current_user.full_name if signed_in else ""
    navigation = navigation_items()
    key = ("header", signed_in, full_name,
           tuple((item["text"], item["href"], item["current"]) for item in navigation))
    html = fragments().get(key, lambda: render_template(
        "partials/_header.html", signed_in=signed_in, full_name=full_name,
        navigation=navigation, sign_out_button=sign_out_button_html(slot("csrf"))))
    return fill(html, {"csrf": escape(generate_csrf())} if signed_in else {})


def site_footer() -> Markup:
    """The footer: the same on every page."""
    return Markup(fragments().get(("footer",),  # noqa: S704 - rendered by Jinja
                                  lambda: render_template("partials/_footer.html")))


def init_navigation(app: Flask) -> None:
    app.jinja_env.globals.update(
        navigation_items=navigation_items, site_header=site_header, site_footer=site_footer
    )
