from django import forms


class QuebecDecimalField(forms.DecimalField):
    """A decimal typed the Quebec way: ``3 000,50`` as well as ``3000.50``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace("$", "")
        return super().to_python(value)
