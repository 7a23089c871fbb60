"""Every field of the learning and diagnostics forms is rendered with Bootstrap's classes."""

import inspect

import pytest
from django import forms

from virage.core.forms import StyledWidgetsMixin
from virage.diagnostics import forms as diagnostics_forms
from virage.learning import forms as learning_forms


def test_the_mixin_gives_each_kind_of_widget_its_class_and_keeps_a_chosen_one():
    class Sample(StyledWidgetsMixin, forms.Form):
        name = forms.CharField()
        kind = forms.ChoiceField(choices=[("a", "A")])
        agreed = forms.BooleanField(required=False)
        tags = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
        chosen = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control-sm"}))
        secret = forms.CharField(widget=forms.HiddenInput)

    classes = {name: field.widget.attrs.get("class") for name, field in Sample().fields.items()}

    assert classes == {
        "name": "form-control",
        "kind": "form-select",
        "agreed": "form-check-input",
        "tags": "form-check-input",
        "chosen": "form-control-sm",
        "secret": None,
    }


@pytest.mark.parametrize("module", [learning_forms, diagnostics_forms])
def test_every_form_of_the_app_uses_the_mixin(module):
    form_classes = [
        cls
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]
    assert form_classes
    assert [cls.__name__ for cls in form_classes if not issubclass(cls, StyledWidgetsMixin)] == []
