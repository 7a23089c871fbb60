from django import forms
from django.core.exceptions import ValidationError


class QuebecDecimalField(forms.DecimalField):
    """A decimal typed the Quebec way: ``3 000,50`` as well as ``3000.50``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace("$", "")
        return super().to_python(value)


def label_empty_choices(form, label=None) -> None:
    """Replace Django's "---------" with words a person understands, on every select of ``form``."""
    from django.utils.translation import gettext_lazy as _

    label = label or _("Choose…")
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
            if field.empty_label is not None and str(field.empty_label).startswith("---"):
                field.empty_label = label
        elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices = list(field.choices)
            if choices and choices[0][0] == "" and str(choices[0][1]).startswith("---"):
                field.choices = [("", label), *choices[1:]]


class StyledWidgetsMixin:
    """Gives each widget Bootstrap's class (``form-select``, ``form-check-input`` or ``form-control``),
    unless the form already chose one, so that ``includes/field.html`` renders every field alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.attrs.get("class") or widget.is_hidden:
                continue
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal back onto the form: errors of a field beside it, the others above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
