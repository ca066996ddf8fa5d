"""The production-shaped stack's logs can be kept after it is gone (deploy/prod_like.py):
.ci/run keeps them with the results, so a failed browser test over HTTPS can be read
against what nginx and the instances saw."""

from __future__ import annotations

from pathlib import Path

from deploy.prod_like import ProdLikeStack


def test_the_logs_are_copied_and_nothing_else(tmp_path: Path) -> None:
    stack = ProdLikeStack(run_dir=tmp_path / "run")
    (stack.run_dir / "tls").mkdir(parents=True)
    (stack.run_dir / "tls" / "key.pem").write_text("private key")
    stack.access_log.write_text('GET "/coaching/apply" 200\n')
    stack.app_log(1).write_text("sign_in\n")
    (stack.run_dir / "nginx.conf").write_text("events {}\n")

    kept = tmp_path / "results" / "stack-logs"
    stack.keep_logs(kept)
    stack.remove_files()

    assert sorted(path.name for path in kept.iterdir()) == ["app-1.log", "nginx-access.log"]
    assert (kept / "nginx-access.log").read_text() == 'GET "/coaching/apply" 200\n'
    assert not stack.run_dir.exists()
