import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("ci", "expected_rc", "expected"), [("true", 1, "1 failed"), ("", 0, "1 skipped")])
def test_a_skip_fails_the_run_in_ci(tmp_path, ci, expected_rc, expected):
    (tmp_path / "test_sample.py").write_text("import pytest\n\ndef test_needs_redis():\n    pytest.skip('no Redis')\n")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.ci_rule",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == expected_rc, result.stdout
    assert expected in result.stdout
    if ci:
        assert "Skipped in CI, which counts as a failure: Skipped: no Redis" in result.stdout
