"""Command-line tasks: `flask --app careers_app users create`, `demo seed`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from careers_app.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    is_common_password,
)
from careers_app.accounts.service import (
    EmailTaken,
    Registration,
    find_user_by_email,
    register_user,
)
from careers_app.content.cast import CAST_FILE, cast_problems, load_cast
from careers_app.content.glossary import abbreviations_in, load_glossary
from careers_app.content.loader import ModuleError, load_registry
from careers_app.content.readability import (
    MAX_GUIDANCE_WORDS,
    MIN_READING_EASE,
    longest_guidance,
    module_texts,
    reading_ease,
)
from careers_app.security import GRANTABLE_ROLES, Role

users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demonstration data for local use.")
modules_cli = AppGroup("modules", help="Module content files.")

DEMO_PASSWORD = "local-demo-only-2026"  # noqa: S105 (shown in the README; refused in production)
DEMO_ACCOUNTS = (
    ("trainee@example.org", "Alex Trainee", ()),
    ("coach@example.org", "Sam Coach", (Role.COACH,)),
    ("facilitator@example.org", "Jo Facilitator", (Role.FACILITATOR,)),
    ("coordinator@example.org", "Chris Coordinator", (Role.COORDINATOR,)),
)


def _check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"must be between {MIN_PASSWORD_LENGTH} and {MAX_PASSWORD_LENGTH} characters",
            param_hint="password",
        )
    if is_common_password(password):
        raise click.BadParameter(
            "is too common or too easy to guess: choose one that would be hard to guess, "
            "such as three random words",
            param_hint="password",
        )


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role", "roles", multiple=True,
    type=click.Choice([role.value for role in GRANTABLE_ROLES]),
    help="A role besides trainee; may be given more than once.",
)
@click.option("--password", help="Prompted for (hidden) when not given.")
def create_user(email: str, name: str, roles: tuple[str, ...], password: str | None) -> None:
    """Create an account with the given roles."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _check_password(password)
    details = Registration(
        full_name=name, email=email, password=password,
        professional_group="doctor_dentist", region="london", training_stage="other",
    )
    try:
        user = register_user(details, tuple(Role(role) for role in roles))
    except EmailTaken as error:
        raise click.ClickException(f"an account already uses {email}") from error
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(user.roles))}")


@demo_cli.command("seed")
def seed_demo() -> None:
    """Create one demonstration account per role, if absent (never in production)."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("demo accounts are for local use and are refused in production")
    for email, name, roles in DEMO_ACCOUNTS:
        if find_user_by_email(email) is not None:
            continue
        register_user(
            Registration(
                full_name=name, email=email, password=DEMO_PASSWORD,
                professional_group="doctor_dentist", region="london", training_stage="core",
            ),
            roles,
        )
        click.echo(f"Created {email}")
    click.echo("Demo sign-ins (local only), password " + DEMO_PASSWORD + ":")
    for email, _name, roles in DEMO_ACCOUNTS:
        click.echo(f"  {email:<26} trainee{''.join(', ' + r.value for r in roles)}")


@modules_cli.command("check")
@click.option("--dir", "directory", type=click.Path(path_type=Path),
              help="Folder of module files (default: MODULES_DIR).")
def check_modules(directory: Path | None) -> None:
    """Validate every module file; name the file, step and field of each mistake."""
    folder = directory or Path(current_app.config["MODULES_DIR"])
    try:
        registry = load_registry(folder)
    except ModuleError as error:
        raise click.ClickException(f"module files in {folder} have problems:\n{error}") from error
    try:
        glossary = {term.term for term in load_glossary(folder)}
        cast = load_cast(folder)
    except ModuleError as error:
        raise click.ClickException(str(error)) from error
    # A worked example that contradicts the cast is a content mistake, like a bad field.
    if cast and (problems := cast_problems(registry, cast)):
        raise click.ClickException(
            "examples disagree with the cast of fictional trainees:\n" + "\n".join(problems))
    for module in registry:
        ease = reading_ease(module_texts(module))
        longest_step, longest = longest_guidance(module)
        click.echo(f"ok  {module.slug} ({len(module.steps)} steps, reading ease {ease:.0f}, "
                   f"longest guidance {longest} words)")
        # Advice for authors, not errors: the app still starts.
        if ease < MIN_READING_EASE:
            click.echo(f"    hard to read: aim for a reading ease of {MIN_READING_EASE:.0f} "
                       "or more (shorter sentences, shorter words)")
        if longest > MAX_GUIDANCE_WORDS:
            click.echo(f"    step '{longest_step}': guidance is over {MAX_GUIDANCE_WORDS} words")
        if glossary and (missing := sorted(abbreviations_in(module) - glossary)):
            click.echo(f"    not in the glossary: {', '.join(missing)}")
    if cast:
        click.echo(f"The examples agree with the cast ({len(cast)} in {CAST_FILE}).")
    click.echo(f"{len(registry)} module files in {folder} are valid.")


def init_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(modules_cli)
    from careers_app.jobs.cli import jobs_cli

    app.cli.add_command(jobs_cli)
