"""Which form class a channel gets: the system questions of its kind (`feedback_forms.forms`)
followed by the editor's questions of the page (the form builder), with the API's dates as
"YYYY-MM-DD" and the web needs form's optional photo."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from feedback_forms.builder import MunicipalFormBuilder
from feedback_forms.forms import SYSTEM_FIELDS_AFTER, EvaluationForm, NeedForm, SystemQuestionsForm

if TYPE_CHECKING:
    from feedback_forms.models.pages import FeedbackFormPage
    from feedback_forms.photos import CleanPhoto


class APIDateMixin:
    """The API sends dates as YYYY-MM-DD strings instead of separate boxes."""

    fields: dict[str, forms.Field]  # of the form it is mixed into

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        messages = {
            "invalid": _("Enter a date as YYYY-MM-DD."),
            "required": _("This field is required."),
        }
        if "settlement" in self.fields and "other_place" not in self.fields:
            self.fields["settlement"].help_text = ""  # no "another place" here (form_class_for)
        for name in ("birth_date", "used_on"):
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = forms.DateField(
                    label=old.label, input_formats=["%Y-%m-%d"], error_messages=messages
                )


def build_form_class(
    page: "FeedbackFormPage | None", base: type[SystemQuestionsForm]
) -> type[SystemQuestionsForm]:
    """The system questions followed by the editor's questions, consent and contacts last."""
    extra = MunicipalFormBuilder(page.get_form_fields()).formfields if page else {}
    ordered = [*(base.field_order or []), *extra, *SYSTEM_FIELDS_AFTER]
    attributes = {**extra, "field_order": ordered, "extra_field_names": tuple(extra)}
    return type(f"{base.__name__}ForPage", (base,), attributes)


class NeedPhotoMixin(forms.Form):
    """The optional photo of the web needs form (feedback_forms.photos).

    A chosen file is checked and re-encoded on Continue and kept as a pending photo; only its
    random token travels through the next steps (`photo_token`), so "Change" and "Send" keep
    the photo without the browser sending it again.
    """

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "A JPEG, PNG or HEIC photo of up to 10 MB. We remove the location and camera details "
            "from it. Only City Hall staff see it, unless they publish it with the answer."
        ),
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/heic,image/heif,.heic,.heif"}
        ),
    )
    photo_token = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("photo_token"):
            self.fields["photo"].help_text = _(
                "A photo is attached. To replace it, choose another one."
            )

    def clean_photo(self) -> "CleanPhoto | None":
        from feedback_forms.photos import clean_photo

        uploaded = self.cleaned_data.get("photo")
        return clean_photo(uploaded) if uploaded else None

    def clean_photo_token(self) -> str:
        from feedback_forms.photos import MSG_LOST, pending

        token = self.cleaned_data.get("photo_token", "")
        if token and pending(token) is None:
            self.add_error("photo", ValidationError(MSG_LOST, code="lost"))
            return ""
        return token

    def has_photo(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("photo") or data.get("photo_token"))


def form_class_for(
    page: "FeedbackFormPage", api: bool = False, photos: bool = False
) -> type[SystemQuestionsForm]:
    """`photos`: the web journey's needs form also takes an optional photo."""
    base: type[SystemQuestionsForm] = EvaluationForm if page.form_kind == "evaluation" else NeedForm
    if api:
        # "Another place" is the web form's and staff entry's for now: the API's bodies (and
        # their JSON Schema) name a listed settlement.
        removed = {"other_place": None} if base is NeedForm else {}
        base = type(f"API{base.__name__}", (APIDateMixin, base), removed)
    elif photos and base is NeedForm:
        base = type("PhotoNeedForm", (NeedPhotoMixin, NeedForm), {})
    return build_form_class(page, base)
