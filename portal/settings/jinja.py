"""Jinja2 options for servers that run long: production, and the benchmark server that stands in
for it (ADR 0057). Local development keeps Django's default and reloads changed templates."""

from pathlib import Path


def compiled_once(templates: list, var_dir: Path) -> list:
    """`templates` (the TEMPLATES setting) with the Jinja2 engine set to compile each template once
    per process: no checking the files for changes on every lookup, no evicting compiled templates
    (the portal has a few hundred), and the compiled code kept under VAR_DIR (0700, portal.jinja2_env)
    so a new worker loads it instead of compiling every template again. A new list: the base
    settings' own stays as it is for any other settings module in the same process."""
    jinja, *others = templates
    options = {
        **jinja["OPTIONS"],
        "auto_reload": False,
        "cache_size": -1,
        "bytecode_cache_dir": str(var_dir / "jinja2-bytecode"),
    }
    return [{**jinja, "OPTIONS": options}, *others]
