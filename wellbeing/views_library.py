"""The resource library and services directory pages (issue 13 items 1 and 2, ADR 0043): browsing
and search for anyone (no personal data: the pages are the same for everyone), and the service
admins' pages to add, edit, retire and put back. Thin: services.library decides and audits.
Non-admins get 404 on the admin pages, as on the other wellbeing admin pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import policy
from portal.ui.presenters import pagination
from wellbeing import forms_library as forms
from wellbeing import presenters_library as pages
from wellbeing.models import Resource, SupportService
from wellbeing.services import library

PER_PAGE = 20


def _admin(request):
    if not policy.is_service_admin(request.user):
        raise Http404("The library's admin pages are for service admins")


def _paged(request, query):
    page = Paginator(query, PER_PAGE).get_page(request.GET.get("page"))
    return page, pagination(page, request.GET)


@require_GET
def resource_list(request):
    filters = pages.resource_filters(request.GET)
    found = library.search_resources(filters["q"], filters["topic"], filters["site"], filters["format"])
    page, paging = _paged(request, found)
    context = {
        "page_title": "Information and support resources",
        "search": forms.ResourceSearchForm(initial=filters),
        "cards": [pages.resource_card(r) for r in page.object_list],
        "count": page.paginator.count,
        "filtering": pages.filtering(filters),
        "pagination": paging,
    }
    return render(request, "wellbeing/library/resources.jinja", context)


@require_GET
def resource_page(request, resource_id):
    resource = get_object_or_404(Resource.objects.prefetch_related("topics"), pk=resource_id)
    context = {
        "page_title": resource.title,
        "resource": resource,
        "retired": resource.retired_at is not None,
        "paragraphs": pages.paragraphs(resource.body),
        "rows": pages.resource_rows(resource),
        "admin": policy.is_service_admin(request.user),
        "back_link": {"href": pages.RESOURCES_URL, "text": "All resources"},
    }
    return render(request, "wellbeing/library/resource.jinja", context)


@require_GET
def directory_list(request):
    filters = pages.directory_filters(request.GET)
    found = library.search_directory(filters["q"], filters["category"], filters["topic"])
    page, paging = _paged(request, found)
    context = {
        "page_title": "Support services directory",
        "search": forms.DirectorySearchForm(initial=filters),
        "cards": [pages.service_card(s) for s in page.object_list],
        "count": page.paginator.count,
        "filtering": pages.filtering(filters),
        "pagination": paging,
    }
    return render(request, "wellbeing/library/directory.jinja", context)


@require_GET
def directory_page(request, service_id):
    service = get_object_or_404(SupportService.objects.prefetch_related("topics"), pk=service_id)
    context = {
        "page_title": service.name,
        "service": service,
        "retired": service.retired_at is not None,
        "offers": pages.paragraphs(service.offers),
        "referral": pages.paragraphs(service.referral_detail),
        "rows": pages.service_rows(service),
        "admin": policy.is_service_admin(request.user),
        "back_link": {"href": pages.DIRECTORY_URL, "text": "All services"},
    }
    return render(request, "wellbeing/library/service.jinja", context)


# The service admins' pages.


@login_required
@never_cache
@require_GET
def admin_resources(request):
    _admin(request)
    page, paging = _paged(request, Resource.objects.prefetch_related("topics").order_by("title", "pk"))
    context = {
        "page_title": "Resource library",
        "rows": pages.admin_resource_rows(page.object_list),
        "pagination": paging,
    }
    return render(request, "wellbeing/library/admin_resources.jinja", context)


@login_required
@never_cache
@require_GET
def admin_directory(request):
    _admin(request)
    page, paging = _paged(request, SupportService.objects.prefetch_related("topics").order_by("name", "pk"))
    context = {
        "page_title": "Services directory",
        "rows": pages.admin_service_rows(page.object_list),
        "pagination": paging,
    }
    return render(request, "wellbeing/library/admin_directory.jinja", context)


def _save(request, form, save, *, done: str, back: str):
    """Post, then redirect to `back` with `done`; refused, the form again with every error on its field."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.service_kwargs())
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, done.format(saved))
            return redirect(back)
    return None


def _form_page(request, template, form, *, title: str, entry=None, kind: str):
    context = {
        "page_title": title,
        "title": title,
        "form": form,
        "entry": entry,
        "kind": kind,
        "submit_text": "Save",
        "back_link": {"href": pages.ADMIN_RESOURCES_URL if kind == "resource" else pages.ADMIN_DIRECTORY_URL},
    }
    return render(request, template, context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def admin_resource_new(request):
    _admin(request)
    form = forms.ResourceForm(request.POST if request.method == "POST" else None)
    done = _save(
        request, form, lambda fields: library.add_resource(actor=request.user, **fields),
        done="'{}' is in the library.", back=pages.ADMIN_RESOURCES_URL,
    )  # fmt: skip
    return done or _form_page(
        request, "wellbeing/library/resource_form.jinja", form, title="Add a resource", kind="resource"
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def admin_resource_edit(request, resource_id):
    _admin(request)
    resource = get_object_or_404(Resource, pk=resource_id)
    if request.method == "POST":
        form = forms.ResourceForm(request.POST)
    else:
        form = forms.ResourceForm(initial=forms.resource_initial(resource))
    done = _save(
        request, form, lambda fields: library.edit_resource(resource, actor=request.user, **fields),
        done="'{}' has been saved.", back=pages.ADMIN_RESOURCES_URL,
    )  # fmt: skip
    return done or _form_page(
        request, "wellbeing/library/resource_form.jinja", form, title="Change a resource", entry=resource,
        kind="resource",
    )  # fmt: skip


@login_required
@require_POST
def admin_resource_retire(request, resource_id):
    _admin(request)
    resource = library.retire_resource(get_object_or_404(Resource, pk=resource_id), actor=request.user)
    messages.success(request, f"'{resource.title}' is retired: it no longer shows in the library or in search.")
    return redirect(pages.ADMIN_RESOURCES_URL)


@login_required
@require_POST
def admin_resource_restore(request, resource_id):
    _admin(request)
    resource = library.restore_resource(get_object_or_404(Resource, pk=resource_id), actor=request.user)
    messages.success(request, f"'{resource.title}' is back in the library.")
    return redirect(pages.ADMIN_RESOURCES_URL)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def admin_directory_new(request):
    _admin(request)
    form = forms.ServiceForm(request.POST if request.method == "POST" else None)
    done = _save(
        request, form, lambda fields: library.add_service(actor=request.user, **fields),
        done="'{}' is in the directory.", back=pages.ADMIN_DIRECTORY_URL,
    )  # fmt: skip
    return done or _form_page(
        request, "wellbeing/library/service_form.jinja", form, title="Add a service", kind="service"
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def admin_directory_edit(request, service_id):
    _admin(request)
    service = get_object_or_404(SupportService, pk=service_id)
    if request.method == "POST":
        form = forms.ServiceForm(request.POST)
    else:
        form = forms.ServiceForm(initial=forms.service_initial(service))
    done = _save(
        request, form, lambda fields: library.edit_service(service, actor=request.user, **fields),
        done="'{}' has been saved.", back=pages.ADMIN_DIRECTORY_URL,
    )  # fmt: skip
    return done or _form_page(
        request, "wellbeing/library/service_form.jinja", form, title="Change a service", entry=service,
        kind="service",
    )  # fmt: skip


@login_required
@require_POST
def admin_directory_retire(request, service_id):
    _admin(request)
    service = library.retire_service(get_object_or_404(SupportService, pk=service_id), actor=request.user)
    messages.success(request, f"'{service.name}' is retired: it no longer shows in the directory or in search.")
    return redirect(pages.ADMIN_DIRECTORY_URL)


@login_required
@require_POST
def admin_directory_restore(request, service_id):
    _admin(request)
    service = library.restore_service(get_object_or_404(SupportService, pk=service_id), actor=request.user)
    messages.success(request, f"'{service.name}' is back in the directory.")
    return redirect(pages.ADMIN_DIRECTORY_URL)
