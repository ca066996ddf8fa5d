"""Settings read from environment variables, with defaults per environment.

Every variable is documented in README.md. ``load_config`` is the only place that
reads ``os.environ``; ``check_production`` refuses unsafe production settings.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "test", "production")
LOG_FORMATS = ("json", "text")
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT_CHARACTERS = 10


class ConfigurationError(RuntimeError):
    """The settings are unsafe or incomplete; the message says what to change."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError(f"{name} must be a whole number of at least 1, not {raw!r}.")
    return int(raw)


def _development_secret(instance_path: Path) -> str:
    """Generate a secret key into ``instance/`` once, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:  # also refuses nan and inf
        raise ConfigurationError(f"{name} must be a number of seconds above 0, not {raw!r}.")
    return value


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'careers.sqlite3'}"
    # Hosting platforms often hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _trusted_hosts(external_url: str) -> list[str] | None:
    """Host names requests may name: TRUSTED_HOSTS, else the canonical URL's host
    (production), else any (development and tests)."""
    listed = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",")]
    hosts = [host for host in listed if host]
    if hosts:
        return hosts
    host = urlsplit(external_url).hostname if external_url else None
    return [host] if host else None


def _queue_url(instance_path: Path, redis_url: str) -> str:
    """Where jobs wait: QUEUE_URL, else the Redis of REDIS_URL, else a SQLite file in
    ``instance/`` beside the database (so `make run` needs no server)."""
    url = os.environ.get("QUEUE_URL", "").strip() or redis_url
    if not url:
        return f"sqlite:///{instance_path / 'jobs.sqlite3'}"
    if not url.startswith(("redis://", "rediss://", "unix://", "sqlite:///")):
        raise ConfigurationError(
            f"QUEUE_URL must be a redis://, rediss:// or sqlite:/// URL, not {url!r}.")
    return url


def load_config(instance_path: Path) -> dict[str, Any]:
    """Build the Flask configuration from the environment."""
    environment = os.environ.get("APP_ENV", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(
            f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}."
        )
    production = environment == "production"
    secret = os.environ.get("SECRET_KEY", "").strip()
    if not secret and environment == "development":
        secret = _development_secret(instance_path)
    elif not secret and environment == "test":
        secret = secrets.token_urlsafe(48)
    redis_url = os.environ.get("REDIS_URL", "").strip()
    # The canonical address every emailed link is built on. Development serves on the
    # loopback port of `make run`; production must say (check_production).
    external_url = os.environ.get("EXTERNAL_URL", "").strip().rstrip("/")
    if not external_url and not production:
        external_url = f"http://127.0.0.1:{os.environ.get('PORT', '5000').strip() or '5000'}"
    mail_backend = os.environ.get("MAIL_BACKEND", "smtp" if production else "console")
    secure_cookie = _flag("SESSION_COOKIE_SECURE", production)
    log_format = os.environ.get("LOG_FORMAT", "").strip().lower() or (
        "json" if production else "text")
    if log_format not in LOG_FORMATS:
        raise ConfigurationError(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}."
        )

    return {
        "APP_ENV": environment,
        "DEBUG": _flag("FLASK_DEBUG", False),
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # hide_parameters keeps what people typed out of error messages and logs.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        # Seconds to wait for PostgreSQL to connect (and for a free pooled connection), for
        # one PostgreSQL statement, and for SQLite's write lock; past them the page is a
        # 503. careers_app/db.py turns them into engine options once the URL is final.
        "DATABASE_CONNECT_TIMEOUT": _seconds("DATABASE_CONNECT_TIMEOUT", 5),
        "DATABASE_STATEMENT_TIMEOUT": _seconds("DATABASE_STATEMENT_TIMEOUT", 15),
        "DATABASE_BUSY_TIMEOUT": _seconds("DATABASE_BUSY_TIMEOUT", 5),
        # The largest post any page can send, with every answer at its limit: the step
        # "starr-answers" (specialty-interview-preparation): one 500-character and five
        # 20,000-character answers, 100,305 characters with the hidden inputs. A browser
        # percent-encodes each UTF-8 byte of a form post as 3 bytes, so with every
        # character 4 bytes of UTF-8 (12 on the wire) that post is 1,202,620 bytes, input
        # names included (its JSON autosave is a third of that). 2 MiB leaves room for a
        # longer step, and a megabyte of pasted plain text still gets the field's message.
        # tests/test_bad_input_limits.py recomputes the figure from modules/ and fails
        # if a module outgrows it. Larger bodies get the 413 page (or JSON with a message).
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Only multipart posts (no page sends one): each text part at most the longest
        # answer, 20,000 characters x 4 bytes = 80,000 bytes; and at most 500 parts, where
        # the step with the most inputs has 129 (Werkzeug's default is 1,000).
        "MAX_FORM_MEMORY_SIZE": 128 * 1024,
        "MAX_FORM_PARTS": 500,
        # __Host- makes browsers refuse the cookie unless it is Secure, for the whole site
        # and for this host only, so no other subdomain can set or overwrite it. Browsers
        # drop a __Host- cookie sent without Secure, hence the plain name over http.
        "SESSION_COOKIE_NAME": "__Host-careers_session" if secure_cookie else "careers_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookie,
        "SESSION_IDLE_MINUTES": _positive_int("SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _positive_int("SESSION_MAX_HOURS", 12),
        # Pages that hand over or remove everything a person holds ask for the password
        # again unless it (or the sign-in) was given this recently.
        "RECENT_PASSWORD_MINUTES": _positive_int("RECENT_PASSWORD_MINUTES", 10),
        "REMEMBER_COOKIE_DURATION": 0,
        "PERMANENT_SESSION_LIFETIME": 12 * 60 * 60,
        # A token that lives as long as the session: a trainee who writes for over an
        # hour must not lose the text to an expired CSRF token.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": True,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # A Redis that does not answer must not hold requests: give up after a second.
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "PROXY_FIX_X_FOR": int(os.environ.get("PROXY_FIX_X_FOR", "0") or 0),
        "PROXY_FIX_X_PROTO": int(os.environ.get("PROXY_FIX_X_PROTO", "0") or 0),
        "LOG_FORMAT": log_format,
        "EXTERNAL_URL": external_url,
        "TRUSTED_HOSTS": _trusted_hosts(external_url if production else ""),
        "MAIL_BACKEND": mail_backend,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25") or 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", production),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "careers@example.org"),
        "SUPPORT_EMAIL": os.environ.get("SUPPORT_EMAIL", "").strip(),
        "MODULES_DIR": Path(os.environ.get("MODULES_DIR", "").strip() or PROJECT_ROOT / "modules"),
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600") or 3600),
        # The job queue (careers_app/jobs/). Immediate mode runs each job in the process
        # that enqueues it, at once: the test suite's default, never production's.
        "QUEUE_URL": _queue_url(instance_path, redis_url),
        "QUEUE_IMMEDIATE": _flag("QUEUE_IMMEDIATE", environment == "test"),
        # Sending an outbox email: the first retry waits MAIL_RETRY_DELAY seconds and each
        # later one twice as long as the one before, up to MAIL_MAX_ATTEMPTS attempts (30 s
        # and 9 attempts: retries for 2 hours 7 minutes), then the email is parked for a
        # coordinator. A claimed email whose worker has said nothing for MAIL_SEND_LEASE
        # seconds is taken to have died with it and is sent again.
        "MAIL_RETRY_DELAY": _seconds("MAIL_RETRY_DELAY", 30),
        "MAIL_MAX_ATTEMPTS": _positive_int("MAIL_MAX_ATTEMPTS", 9),
        "MAIL_SEND_LEASE": _seconds("MAIL_SEND_LEASE", 120),
        # Plan PDFs are made by a job, each in a child process killed after
        # PDF_RENDER_SECONDS and refused memory past PDF_RENDER_MEMORY_MB (address space).
        # A render that timed out or crashed is tried PDF_RENDER_ATTEMPTS times in all, one
        # that ran out of memory once. Each person may ask for PDF_RENDERS_PER_HOUR fresh
        # renders (a PDF already made does not count). PDF_PRERENDER_DELAY seconds after
        # the last change to a plan, its PDF is made ahead of any download.
        "PDF_RENDER_SECONDS": _seconds("PDF_RENDER_SECONDS", 20),
        "PDF_RENDER_MEMORY_MB": _positive_int("PDF_RENDER_MEMORY_MB", 1024),
        "PDF_RENDER_ATTEMPTS": _positive_int("PDF_RENDER_ATTEMPTS", 2),
        "PDF_RETRY_DELAY": _seconds("PDF_RETRY_DELAY", 5),
        "PDF_RENDERS_PER_HOUR": _positive_int("PDF_RENDERS_PER_HOUR", 20),
        "PDF_PRERENDER_DELAY": _seconds("PDF_PRERENDER_DELAY", 20),
        # An account nobody has signed in to for RETENTION_INACTIVE_DAYS is warned by email
        # and deleted RETENTION_GRACE_DAYS later unless its owner signs in meanwhile
        # (careers_app/account_deletion/retention.py; the privacy notice says the same).
        "RETENTION_INACTIVE_DAYS": _positive_int("RETENTION_INACTIVE_DAYS", 3 * 365),
        "RETENTION_GRACE_DAYS": _positive_int("RETENTION_GRACE_DAYS", 30),
    }


def check_production(config: dict[str, Any]) -> None:
    """Refuse to start in production with settings that would put users at risk."""
    if config.get("APP_ENV") != "production":
        return
    problems = []
    if config.get("DEBUG"):
        problems.append("FLASK_DEBUG is on: the debugger would let anyone run code.")
    secret = config.get("SECRET_KEY") or ""
    if not secret:
        problems.append("SECRET_KEY is not set.")
    elif len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < MIN_SECRET_DISTINCT_CHARACTERS:
        problems.append(
            f"SECRET_KEY is weak: use at least {MIN_SECRET_LENGTH} random characters "
            '(for example python -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append(
            "SESSION_COOKIE_SECURE is off: session cookies must be sent over HTTPS only."
        )
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        problems.append(
            "REDIS_URL is not set: throttling would be counted separately by each worker, "
            "so the sign-in limits would not hold."
        )
    name = str(config.get("SESSION_COOKIE_NAME", ""))
    if not name.startswith("__Host-") or config.get("SESSION_COOKIE_DOMAIN"):
        problems.append(
            "The session cookie must be named __Host-... with no SESSION_COOKIE_DOMAIN, so "
            "that no other site on the domain can set or read it."
        )
    if config.get("MAIL_BACKEND") != "smtp":
        problems.append("MAIL_BACKEND must be smtp: password reset emails would not be sent.")
    if config.get("QUEUE_IMMEDIATE"):
        problems.append("QUEUE_IMMEDIATE is on: emails would be sent inside requests, so a "
                        "slow mail server would hold them up. Run a worker instead.")
    problems.extend(_support_email_problems(str(config.get("SUPPORT_EMAIL") or "")))
    problems.extend(_address_problems(config))
    if problems:
        raise ConfigurationError(
            "Refusing to start in production:\n- " + "\n- ".join(problems)
        )


def _address_problems(config: dict[str, Any]) -> list[str]:
    external = urlsplit(config.get("EXTERNAL_URL") or "")
    if external.scheme != "https" or not external.hostname:
        return ["EXTERNAL_URL must be the service's https:// address (for example "
                "https://careers.example.nhs.uk): emailed links are built from it."]
    if not config.get("TRUSTED_HOSTS"):
        return ["TRUSTED_HOSTS is empty: list the host names the service answers to."]
    return []


def _support_email_problems(address: str) -> list[str]:
    """The support and privacy pages promise people an address for the careers unit:
    access, correction and deletion requests and accessibility problems go there."""
    if not address:
        return ["SUPPORT_EMAIL is not set: the support and privacy pages must give people "
                "the careers unit's email address (for example careers@example.nhs.uk)."]
    local, _, domain = address.partition("@")
    odd = any(ch.isspace() or ch in '<>",;' for ch in address)
    if odd or not local or "@" in domain or "." not in domain.strip("."):
        return [f"SUPPORT_EMAIL must be an email address such as careers@example.nhs.uk, "
                f"not {address!r}."]
    return []
