"""The documents' layout (docs/adr/0003-pdf-documents.md): every page says its number and
how many pages there are, so a printed page that goes missing is noticed."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from iom.casework.pdf import STYLES, Document, render
from iom.core.testing import pdf_text


def _pages(blocks: int) -> list[str]:
    document = Document(title="A title", caption="A caption", footer="A footer")
    document.blocks = [Paragraph("words " * 150, STYLES["caption"]) for _ in range(blocks)]
    return pdf_text(render(document), joined="\f").split("\f")


def test_each_page_gives_its_number_of_the_whole():
    pages = _pages(30)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "A footer" in text


def test_a_one_page_document_is_page_1_of_1():
    assert "Page 1 of 1" in _pages(1)[0]
