from __future__ import annotations

from typing import Any

from django import forms

from iom.core import bounds
from iom.people.forms import GovukFormMixin

from .feedformat import file_name_problem


class UploadForm(GovukFormMixin, forms.Form):
    submit_label = "Upload and import"
    file = forms.FileField(
        label="Feed file", help_text="A CSV or Parquet file, one row per record, named like "
        "pnc-2025-06-02.csv (source, then the feed's day).",
        error_messages={"required": "Choose a feed file to upload"})
    full_snapshot = forms.BooleanField(
        label="This file is a full snapshot: records it no longer carries are withdrawn",
        required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".parquet", ".pq")):
            raise forms.ValidationError("The feed file must be a CSV or Parquet file")
        problem = file_name_problem(upload.name) or bounds.upload_problem(upload.size)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class AcknowledgeForm(GovukFormMixin, forms.Form):
    submit_label = "Acknowledge"
    note = forms.CharField(label="What was done", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000,
                           error_messages={"required": "Enter a note saying what was done"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()
