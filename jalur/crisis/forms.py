from django import forms
from django.utils.translation import gettext_lazy as _

from .models import UrgentCase

_NOT_SOS = [c for c in UrgentCase.Kind.choices if c[0] != UrgentCase.Kind.SOS]


class SosForm(forms.Form):
    words = forms.CharField(
        label=_("Apa yang terjadi? (boleh dikosongkan)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StaffOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis kasus"), choices=UrgentCase.Kind.choices)
    words = forms.CharField(
        label=_("Apa yang terjadi, dan dari siapa kabarnya"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kasus ini ternyata"), choices=_NOT_SOS)


class StepDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Apa yang sudah dilakukan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil"), choices=UrgentCase.Outcome.choices)
    note = forms.CharField(
        label=_("Catatan penutupan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
