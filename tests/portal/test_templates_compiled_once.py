"""Production compiles each template once per process, and a new process loads the compiled code
instead of compiling again (issue 16 item 3, ADR 0057). Each check runs the production settings in a
process of its own, with VAR_DIR in a temporary folder."""

import json
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.jinja2_env import bytecode_cache
from tests.portal.test_settings import run_manage

# A page, its layout, the NHS.UK base template and the form macros it imports.
TEMPLATES = ["worklist/worklist.jinja", "layout.jinja", "nhsuk/template.jinja", "ui/fields.jinja"]

# Counts Environment.compile calls (what a bytecode cache hit skips) while loading TEMPLATES.
REPORT = f"""
import json
from jinja2 import Environment
from django.template import engines

compiled = []
compile_ = Environment.compile
Environment.compile = lambda self, *a, **k: compiled.append(1) or compile_(self, *a, **k)
env = engines["jinja2"].env
for name in {TEMPLATES!r}:
    env.get_template(name)
print(json.dumps({{
    "auto_reload": env.auto_reload,
    "cache": type(env.bytecode_cache).__name__,
    "directory": getattr(env.bytecode_cache, "directory", None),
    "unbounded": type(env.cache).__name__ == "dict",
    "compiled": len(compiled),
}}))
"""


def production_environment(var_dir) -> dict:
    result = run_manage("shell", "--no-imports", "-c", REPORT, env_overrides={"VAR_DIR": str(var_dir)})
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_templates_do_not_reload_and_keep_their_bytecode(tmp_path):
    first = production_environment(tmp_path)
    cache_dir = tmp_path / "jinja2-bytecode"
    assert first["auto_reload"] is False
    assert first["unbounded"] is True  # never evicted, so never compiled twice in one process
    assert first["cache"] == "FileSystemBytecodeCache" and first["directory"] == str(cache_dir)
    assert first["compiled"] == len(TEMPLATES)
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    assert len(list(cache_dir.iterdir())) == len(TEMPLATES)

    # The next process (another gunicorn worker, a restart) compiles nothing.
    second = production_environment(tmp_path)
    assert second["compiled"] == 0


def test_the_bytecode_cache_is_made_private(tmp_path):
    cache = bytecode_cache(tmp_path / "new" / "cache")
    assert stat.S_IMODE(os.stat(cache.directory).st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o770, 0o705, 0o777])
def test_a_cache_folder_others_may_write_to_or_read_is_refused(tmp_path, mode):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    with pytest.raises(ImproperlyConfigured, match="mode 0700"):
        bytecode_cache(shared)


def test_a_file_in_the_way_is_refused(tmp_path):
    (tmp_path / "cache").write_text("not a folder")
    with pytest.raises(ImproperlyConfigured):
        bytecode_cache(tmp_path / "cache")


def test_the_bench_server_compiles_templates_as_production_does():
    """The benchmark server (gunicorn, tests/bench/settings.py) measures what production runs; the
    base settings, which local development and tests use, are left as they were."""
    import portal.settings.base as base
    import tests.bench.settings as bench

    options = bench.TEMPLATES[0]["OPTIONS"]
    assert options["auto_reload"] is False and options["cache_size"] == -1
    assert options["bytecode_cache_dir"] == str(bench.VAR_DIR / "jinja2-bytecode")
    assert not {"auto_reload", "cache_size", "bytecode_cache_dir"} & set(base.TEMPLATES[0]["OPTIONS"])
