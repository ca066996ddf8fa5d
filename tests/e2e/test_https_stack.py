"""What only shows as deployed: the production-shaped stack, reached over HTTPS.

Each test here runs only with ``--stack`` (nginx with TLS in front of two gunicorn
instances in production mode, on PostgreSQL and Redis, mail caught by an SMTP sink).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import http.cookiejar
import io
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from careers_app.clock import uk_today
from tests.e2e.journeys import sign_in, sign_out
from tests.e2e.test_plans_journey import (
    SCAN1,
    SCAN4,
    scan_1_answers,
    scan_4_answers_but_the_actions,
    seed_module,
)

pytestmark = pytest.mark.stack

Fixture = Callable[..., Any]
NEW_PASSWORD = "kestrel orchard lantern 1987"


def wait_for_message(stack: Any, to: str, seen: int, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [m for m in stack.messages() if to in m["To"]]
        if len(messages) > seen:
            return messages[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email to {to} within {timeout} s")


def https_opener(stack: Any) -> urllib.request.OpenerDirector:
    """A client of our own: trusts the stack's certificate, keeps cookies, never follows
    redirects (so each answer is seen as it is)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=stack.ssl_context()),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        NoRedirect,
    )


def open_url(opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode("utf-8", "replace")


def test_a_password_reset_emails_the_canonical_link_and_it_works_over_https(
    page: Page, navigates: Fixture, create_account: Fixture, prod_stack: Any,
) -> None:
    account = create_account(full_name="Rosa Reset")
    page.goto("/account/reset-password")
    page.get_by_label("Email address").fill(account.email)
    with navigates(page):
        page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")

    message = wait_for_message(prod_stack, account.email, seen=0)
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https://\S+/account/reset-password/\S+", body)
    assert link, body
    assert link.group(0).startswith(prod_stack.url + "/account/reset-password/")

    page.goto(link.group(0))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    with navigates(page):
        page.get_by_role("button", name="Save new password").click()
    expect(page).to_have_url("/account/sign-in")
    sign_in(page, navigates, dataclasses.replace(account, password=NEW_PASSWORD))
    sign_out(page, navigates)

    # The token that reset the password is in no log: nginx's nor either instance's.
    token = link.group(0).rsplit("/", 1)[-1]
    for log in (prod_stack.access_log, prod_stack.app_log(1), prod_stack.app_log(2)):
        assert token not in log.read_text(errors="replace"), log.name


def test_the_request_id_nginx_gives_is_on_the_app_log_line_and_the_response(
    create_account: Fixture, prod_stack: Any, live_app: Any,
) -> None:
    account = create_account()
    opener = https_opener(prod_stack)
    sign_in_url = prod_stack.url + "/account/sign-in"
    _status, form_page = open_url(opener, sign_in_url)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page)
    assert token
    request = urllib.request.Request(sign_in_url, headers={"Referer": sign_in_url},
                                     data=urllib.parse.urlencode({
                                         "email": account.email, "password": "wrong password here",
                                         "csrf_token": token.group(1)}).encode())
    with opener.open(request, timeout=30) as answer:
        request_id = answer.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id
    logged_by_nginx = f" {request_id} POST \"/account/sign-in\" 200 "
    assert logged_by_nginx in prod_stack.access_log_once_it_has(logged_by_nginx)
    logged = [json.loads(line) for instance in (1, 2)
              for line in prod_stack.app_log(instance).read_text().splitlines()
              if line.startswith("{") and request_id in line]
    assert [entry["event"] for entry in logged] == ["sign_in_failed"]
    assert logged[0]["target_user_id"] == user_id_of(live_app, account.email)
    assert logged[0]["ip"] == "127.0.0.1"


def test_a_request_naming_another_host_is_refused_and_sends_nothing(
    create_account: Fixture, prod_stack: Any,
) -> None:
    account = create_account()
    opener = https_opener(prod_stack)
    status, _page = open_url(opener, prod_stack.url + "/account/reset-password",
                             {"email": account.email}, headers={"Host": "evil.example"})
    assert status == 400
    time.sleep(1)
    assert not [m for m in prod_stack.messages() if account.email in m["To"]]


def test_three_pdf_downloads_at_once_all_arrive(
    page: Page, navigates: Fixture, create_account: Fixture, prod_stack: Any, live_app: Any,
) -> None:
    # A trainee who has worked through SCAN 1 and SCAN 4: a plan of several pages.
    account = create_account(full_name="Pat Download")
    seed_module(live_app, account.email, SCAN1, scan_1_answers(), complete=True)
    seed_module(live_app, account.email, SCAN4, scan_4_answers_but_the_actions(uk_today()),
                complete=False)
    sign_in(page, navigates, account)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    opener = https_opener(prod_stack)

    def fetch(path: str) -> tuple[int, str, bytes]:
        """The answer as it is: the opener follows no redirect and raises on a 303."""
        request = urllib.request.Request(prod_stack.url + path, headers={"Cookie": cookies})
        try:
            with opener.open(request, timeout=60) as answer:
                return answer.status, answer.headers.get_content_type(), answer.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers.get_content_type(), answer.read()

    def download(_: int) -> tuple[int, bytes]:
        # The worker makes the PDF: a request before it is ready is sent on to the
        # "Preparing your PDF" page, whose status URL says when to ask again.
        deadline = time.monotonic() + 60
        status, kind, body = fetch("/plan/pdf")
        while kind != "application/pdf":
            assert time.monotonic() < deadline, "no PDF within 60 s"
            time.sleep(0.3)
            if json.loads(fetch("/plan/pdf/status")[2])["status"] == "ready":
                status, kind, body = fetch("/plan/pdf")
        return status, body

    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(download, range(3)))
    assert [status for status, _ in results] == [200, 200, 200]
    pages = {len(PdfReader(io.BytesIO(pdf)).pages) for _, pdf in results}
    assert len(pages) == 1 and pages.pop() >= 2


def sign_in_events(stack: Any, event: str, user_id: int) -> int:
    """How many ``event`` lines both app instances logged about ``user_id``."""
    found = 0
    for instance in (1, 2):
        for line in stack.app_log(instance).read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if entry.get("event") == event and entry.get("target_user_id") == user_id:
                found += 1
    return found


def user_id_of(live_app: Any, email: str) -> int:
    from sqlalchemy import select

    from careers_app.accounts.models import User
    from careers_app.extensions import db

    with live_app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def test_a_burst_of_wrong_passwords_across_both_instances_gets_at_most_five_checked(
    create_account: Fixture, prod_stack: Any, live_app: Any,
) -> None:
    target = create_account(full_name="Burst Target")
    bystander = create_account(full_name="Bystander")
    target_id = user_id_of(live_app, target.email)
    sign_in_url = prod_stack.url + "/account/sign-in"
    attempts = 24
    ready = threading.Barrier(attempts)

    def wrong_password(_: int) -> int:
        opener = https_opener(prod_stack)
        _status, form_page = open_url(opener, sign_in_url)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page)
        assert token, form_page[:300]
        ready.wait(timeout=60)
        status, _ = open_url(opener, sign_in_url,
                             {"email": target.email, "password": "not the password at all",
                              "csrf_token": token.group(1)},
                             headers={"Referer": sign_in_url})
        return status

    log_lines_before = prod_stack.access_log.read_text().count("\n")
    with concurrent.futures.ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = list(pool.map(wrong_password, range(attempts)))

    assert set(statuses) <= {200, 429}, statuses
    assert statuses.count(429) >= attempts - 5
    checked = sign_in_events(prod_stack, "sign_in_failed", target_id)
    assert checked <= 5, f"{checked} of {attempts} wrong passwords were checked"
    # Both instances took part in the burst.
    burst = prod_stack.access_log.read_text().splitlines()[log_lines_before:]
    upstreams = {line.rsplit(" ", 1)[-1] for line in burst if 'POST "/account/sign-in"' in line}
    assert len(upstreams) == 2, upstreams
    print(f"burst of {attempts}: {checked} passwords checked, {statuses.count(429)} refused "
          f"with 429, over instances {sorted(upstreams)}")

    # Someone else signs in at once.
    opener = https_opener(prod_stack)
    _status, form_page = open_url(opener, sign_in_url)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page)
    assert token
    status, _ = open_url(opener, sign_in_url,
                         {"email": bystander.email, "password": bystander.password,
                          "csrf_token": token.group(1)}, headers={"Referer": sign_in_url})
    assert status == 302
