from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from portal.people.roles import switch_role
from portal.ui import forms as nhs


class ChooseRoleForm(forms.Form):
    role = nhs.ChoiceField(label="Which role are you using?", is_page_heading=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (str(a.pk), str(a)) for a in user.role_assignments.select_related("organisation", "team")
        ]
        self.fields["role"].error_messages["required"] = "Select the role you want to use"
        self.fields["role"].error_messages["invalid_choice"] = "Select one of your roles"


@login_required
def choose_role(request):
    form = ChooseRoleForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"role": str(request.role.pk) if request.role else None},
    )
    if request.method == "POST" and form.is_valid():
        assignment = switch_role(request.user, form.cleaned_data["role"])
        messages.success(request, f"You are now using your role: {assignment}")
        return redirect("home")
    return render(
        request,
        "people/choose_role.jinja",
        {"form": form, "page_title": "Which role are you using?", "back_link": {"href": "/"}},
    )
