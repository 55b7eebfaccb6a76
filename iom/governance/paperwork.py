"""What an uploaded consent form is, from its own first bytes (never its name).

PDF files begin ``%PDF-``; PNG images with the eight-byte PNG signature; JPEG
images with the SOI marker FF D8 FF. Anything else is refused, as is an empty
file or one over the configured size.
"""

from __future__ import annotations

from iom.core.errors import DomainError

from .models import PaperworkType

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PaperworkType.PDF),
    (b"\x89PNG\r\n\x1a\n", PaperworkType.PNG),
    (b"\xff\xd8\xff", PaperworkType.JPEG),
)


def sniff_paperwork(content: bytes, *, max_bytes: int, field: str = "paperwork") -> str:
    """The content type of the paperwork, or a DomainError naming what is wrong."""
    if not content:
        raise DomainError.on_field(field, "The selected file is empty.")
    if len(content) > max_bytes:
        raise DomainError.on_field(field, f"The selected file must be smaller than "
                                   f"{max_bytes // 1024:,} KB (it is {len(content) // 1024:,} KB).")
    for signature, kind in SIGNATURES:
        if content.startswith(signature):
            return kind
    raise DomainError.on_field(field, "The selected file must be a PDF, PNG or JPEG "
                               "(its content is not one of them, whatever its name).")
