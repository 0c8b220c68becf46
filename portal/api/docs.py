"""`/api/docs/`: the API described on an NHS.UK page built from the OpenAPI schema.

drf-spectacular's Swagger UI and Redoc load their JavaScript from a CDN (or need the
drf-spectacular-sidecar package, which we do not install), and our CSP allows neither. This page
needs no JavaScript at all; clients that want interactive docs load `/api/schema/` into their own tools."""

from functools import cache

from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def _schema() -> dict:
    # The schema only changes with a release, so build it once per process.
    return SchemaGenerator().get_schema(request=None, public=True)


def _type(prop: dict) -> str:
    prop = prop.get("oneOf", [prop])[0]  # optional email: "an email address, or empty"
    if "$ref" in prop or "allOf" in prop:
        return "text (one of a fixed list)"
    kind = prop.get("type", "")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    return {
        "string": {"date": "date (YYYY-MM-DD)", "uuid": "UUID", "email": "email address"}.get(
            prop.get("format", ""), "text"
        )
    }.get(kind, kind or "text")


def endpoints(schema: dict) -> list[dict]:
    return [
        {"method": method.upper(), "path": path, "summary": op.get("summary") or op.get("description", "")}
        for path, item in schema.get("paths", {}).items()
        for method in METHODS
        if (op := item.get(method))
    ]


def fields(schema: dict, component: str) -> list[dict]:
    body = schema.get("components", {}).get("schemas", {}).get(component, {})
    required = set(body.get("required", []))
    return [
        {
            "name": name,
            "type": _type(prop),
            "required": name in required and not prop.get("readOnly"),
            "read_only": bool(prop.get("readOnly")),
            "help": prop.get("description", ""),
        }
        for name, prop in body.get("properties", {}).items()
    ]


@require_GET
def api_docs(request):
    schema = _schema()
    return render(
        request,
        "api/docs.jinja",
        {
            "page_title": "API documentation",
            "version": schema.get("info", {}).get("version", ""),
            "endpoints": endpoints(schema),
            "patient_fields": fields(schema, "Patient"),
        },
    )
