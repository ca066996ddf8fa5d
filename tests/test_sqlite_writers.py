"""Writers to one SQLite file take turns through the file lock (careers_app/sqlite_writers.py)."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from careers_app.sqlite_writers import QueuedWriterConnection


def engine_for(path, timeout: float = 5.0):
    engine = create_engine(f"sqlite:///{path}",
                           connect_args={"factory": QueuedWriterConnection, "timeout": timeout})
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, "
                                "body TEXT)"))
    return engine


def lock_is_free(path) -> bool:
    fd = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops a lock this descriptor took
    return True


def test_a_write_holds_the_turn_until_it_commits_and_the_next_writer_then_goes(tmp_path):
    path = tmp_path / "db.sqlite3"
    engine = engine_for(path)
    order: list[str] = []
    second_waiting = threading.Event()

    def second_writer() -> None:
        with engine.begin() as connection:
            second_waiting.set()
            connection.execute(text("INSERT INTO note (body) VALUES ('second')"))
            order.append("second wrote")

    with engine.connect() as first:
        first.execute(text("INSERT INTO note (body) VALUES ('first')"))
        assert not lock_is_free(path)
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert second_waiting.wait(5)
        thread.join(0.3)
        assert thread.is_alive(), "the second writer did not wait for its turn"
        order.append("first committed")
        first.commit()
    thread.join(5)
    assert order == ["first committed", "second wrote"]
    assert lock_is_free(path)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT body FROM note ORDER BY id")).scalars().all() == [
            "first", "second"]


def test_a_rollback_gives_up_the_turn(tmp_path):
    path = tmp_path / "db.sqlite3"
    engine = engine_for(path)
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO note (body) VALUES ('undone')"))
        assert not lock_is_free(path)
        connection.rollback()
        assert lock_is_free(path)


def test_readers_do_not_wait_for_a_writer(tmp_path):
    path = tmp_path / "db.sqlite3"
    engine = engine_for(path)
    with engine.connect() as writer, engine.connect() as reader:
        writer.execute(text("INSERT INTO note (body) VALUES ('pending')"))
        assert reader.execute(text("SELECT count(*) FROM note")).scalar_one() == 0
        writer.commit()


def test_a_turn_not_given_within_the_busy_timeout_fails_as_a_locked_database(tmp_path):
    path = tmp_path / "db.sqlite3"
    engine = engine_for(path, timeout=0.2)
    fd = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process in the middle of a write
    try:
        with engine.connect() as connection, pytest.raises(OperationalError,
                                                           match="database is locked"):
            connection.execute(text("INSERT INTO note (body) VALUES ('late')"))
    finally:
        os.close(fd)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO note (body) VALUES ('in time')"))


def test_a_database_in_memory_needs_no_lock_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    engine = create_engine("sqlite://", connect_args={"factory": QueuedWriterConnection})
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY)"))
        connection.execute(text("INSERT INTO note DEFAULT VALUES"))
    assert list(tmp_path.iterdir()) == []


def test_the_app_uses_the_queue_on_its_sqlite_file(tmp_path):
    from careers_app.extensions import db
    from tests.conftest import build_app

    app = build_app(f"sqlite:///{tmp_path / 'app.sqlite3'}")
    with app.app_context(), db.engine.connect() as connection:
        assert isinstance(connection.connection.dbapi_connection, QueuedWriterConnection)
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY)"))
        connection.execute(text("INSERT INTO note DEFAULT VALUES"))
        assert not lock_is_free(tmp_path / "app.sqlite3")
        connection.commit()
        assert lock_is_free(tmp_path / "app.sqlite3")
    with app.app_context():
        db.engine.dispose()
