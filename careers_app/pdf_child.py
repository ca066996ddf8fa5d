"""Rendering a PDF in a child process with a hard time limit and a memory limit.

WeasyPrint runs in our own process otherwise: a plan long enough to take minutes, or
markup that makes it allocate without end, would hold a worker until it was killed, and
every job behind it would wait. Here each render is a child forked from a forkserver
that has already imported WeasyPrint (so a child starts in milliseconds, not the second
an import takes). The child sets its own address-space limit, receives the HTML and
nothing else (the forkserver is a fresh interpreter: no database connection, and the
child drops the environment's settings), and sends back the PDF's bytes and its page
count. The parent kills it at the deadline.

A failure is reported by its kind only: ``timeout``, ``memory`` or ``crashed``. The
child's own error text is never passed on, since it could quote the document.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from careers_app.pdf import RenderedPdf

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["careers_app.pdf", "careers_app.pdf_child"])
# A child that is past its deadline gets this long to go after SIGKILL before we stop
# waiting for it (it cannot ignore SIGKILL; this only bounds a stuck kernel call).
REAP_SECONDS = 5.0
RENDER_NICENESS = 10
KEPT_ENVIRONMENT = frozenset({"PATH", "HOME", "LANG", "LC_ALL", "TZ", "XDG_CACHE_HOME",
                              "FONTCONFIG_FILE", "FONTCONFIG_PATH"})


def start_forkserver() -> None:
    """Start the forkserver now (a worker calls this at start), so the first render does
    not wait a second for WeasyPrint to be imported."""
    from multiprocessing import forkserver

    forkserver.ensure_running()


class RenderFailed(Exception):
    """The render did not finish; ``kind`` is ``timeout``, ``memory`` or ``crashed``."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _child(conn: Connection, memory_bytes: int) -> None:
    """In the child: limit memory, render what arrives, send back the bytes or a kind."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # Below the web workers: on a machine that also serves pages, a render takes the CPU
    # that page requests leave, rather than slowing every page while it runs.
    os.nice(RENDER_NICENESS)
    # The forkserver inherited the worker's environment (database URL, secret key):
    # a renderer needs none of it.
    for name in [name for name in os.environ if name not in KEPT_ENVIRONMENT]:
        del os.environ[name]
    try:
        html = conn.recv()
        from careers_app.pdf import render_pdf

        rendered = render_pdf(html)
    except MemoryError:
        conn.send(("failed", "memory"))
        return
    except Exception:  # noqa: BLE001 (the kind is all that may leave the child)
        conn.send(("failed", "crashed"))
        return
    conn.send(("ready", rendered))


def render_isolated(html: str, seconds: float, memory_mb: int) -> RenderedPdf:
    """The PDF for ``html`` with its pages and refused resources counted, rendered in a
    child that is killed after ``seconds`` and may use at most ``memory_mb`` of address
    space. Raises RenderFailed with the kind of failure."""
    receiving, sending = _CONTEXT.Pipe(duplex=True)
    process = _CONTEXT.Process(target=_child, args=(sending, memory_mb * 1024 * 1024),
                               daemon=True, name="pdf-render")
    process.start()  # the first start also starts the forkserver: not the child's time
    deadline = time.monotonic() + seconds
    sending.close()
    try:
        receiving.send(html)
        if not receiving.poll(max(deadline - time.monotonic(), 0)):
            raise RenderFailed("timeout")
        outcome, body = receiving.recv()
    except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
        # The child died without answering: the kernel refused it memory (the limit
        # makes C code abort rather than raise), or it crashed.
        raise RenderFailed("memory" if _killed_by_limit(process) else "crashed") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(REAP_SECONDS)
        receiving.close()
    if outcome != "ready":
        raise RenderFailed(str(body))
    return body


def _killed_by_limit(process: multiprocessing.process.BaseProcess) -> bool:
    """A child that GLib stopped (SIGTRAP), that aborted (SIGABRT) or that segfaulted
    under its memory limit ran out of it: C libraries stop that way when memory or a
    thread is refused. Anything else is a crash."""
    process.join(REAP_SECONDS)
    return process.exitcode in (-signal.SIGTRAP, -signal.SIGABRT, -signal.SIGSEGV)
