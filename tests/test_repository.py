"""The repository holds sources only: nothing it tracks is something .gitignore says to leave out
(a build's egg-info, caches, var/), so a fresh clone has no stale build output in it."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_tracked_file_is_ignored_by_gitignore():
    tracked_but_ignored = subprocess.run(
        ["git", "ls-files", "--cached", "--ignored", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked_but_ignored == [], f"git rm --cached these (they match .gitignore): {tracked_but_ignored}"
