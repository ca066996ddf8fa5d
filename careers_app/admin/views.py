"""Coordinators grant and remove roles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.accounts.models import User
from careers_app.accounts.service import set_roles
from careers_app.admin import bp
from careers_app.admin.forms import RolesForm, UserSearchForm
from careers_app.admin.service import PAGE_SIZE, search_users
from careers_app.audit import record
from careers_app.extensions import db
from careers_app.forms import rerender_on_csrf_failure
from careers_app.logs import log_event
from careers_app.pagination import page_count, requested_page
from careers_app.security import GRANTABLE_ROLES, Role, roles_required


@bp.get("/users")
@roles_required(Role.COORDINATOR)
def users() -> str:
    search = UserSearchForm(request.args)
    query = search.q.data if search.validate() and search.q.data else ""
    page = requested_page()
    found, total = search_users(query, page)
    pages = page_count(page, total, PAGE_SIZE)
    return render_template(
        "admin/users.html", search=search, query=query, users=found, total=total, page=page,
        pages=pages,
    )


@bp.route("/users/<id:user_id>/roles", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
@rerender_on_csrf_failure
def user_roles(user_id: int) -> str | Response:
    person = db.session.get(User, user_id) or abort(404)
    form = RolesForm(data={"roles": [r.value for r in person.roles if r != Role.TRAINEE]})
    if form.validate_on_submit():
        chosen = {Role(value) for value in form.roles.data}
        if person.id == current_user.id and Role.COORDINATOR not in chosen:
            form.roles.errors.append(
                "You cannot remove your own coordinator role. Ask another coordinator"
            )
        else:
            before = person.roles
            _audit_role_changes(person, before, chosen)
            set_roles(person, chosen)  # its commit saves the audit events with the change
            _log_role_changes(person, before)
            flash(f"Roles for {person.full_name} have been saved.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_roles.html", person=person, form=form)


def _audit_role_changes(person: User, before: frozenset[Role], chosen: set[Role]) -> None:
    """One audit event per role granted or removed, about the person (who may read it)."""
    after = frozenset({Role.TRAINEE, *(role for role in chosen if role in GRANTABLE_ROLES)})
    for change, roles in (("granted", after - before), ("removed", before - after)):
        for role in sorted(roles):
            record(current_user.id, f"role_{change}_{role.value}", "user", person.id, person.id)


def _log_role_changes(person: User, before: frozenset[Role]) -> None:
    """One line per role granted or removed, naming the account by id."""
    after = person.roles
    for role in sorted(after - before):
        log_event("role_changed", target_user_id=person.id, role=role, change="granted")
    for role in sorted(before - after):
        log_event("role_changed", target_user_id=person.id, role=role, change="revoked")


@bp.get("/emails")
@roles_required(Role.COORDINATOR)
def parked_emails() -> str:
    """Emails that used every attempt: who they were for and why they failed."""
    from careers_app.clock import in_uk
    from careers_app.outbox.sending import parked

    emails = [(email, in_uk(email.created_at)) for email in parked()]
    return render_template("admin/emails.html", emails=emails)


@bp.get("/pdfs")
@roles_required(Role.COORDINATOR)
def failed_pdfs() -> str:
    """PDFs that could not be made after every attempt: whose, what and why (the kind)."""
    from careers_app.clock import in_uk
    from careers_app.plans.rendering import failed_renders

    renders = [(render, person, in_uk(render.finished_at or render.requested_at))
               for render, person in failed_renders()]
    return render_template("admin/pdfs.html", renders=renders)
