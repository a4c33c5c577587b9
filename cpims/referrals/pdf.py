"""A printable referral for providers without an account, with Cyrillic text (Noto Sans)."""

from fontpkg_noto_sans import ROOT
from fpdf import FPDF

FONT = f"{ROOT}/files/NotoSans[wdth,wght].ttf"


def referral_pdf(*, title: str, rows: list[tuple[str, str]]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("Noto", fname=FONT)
    pdf.set_font("Noto", size=16)
    pdf.multi_cell(0, 10, title)
    pdf.ln(4)
    pdf.set_font("Noto", size=11)
    for label, value in rows:
        pdf.multi_cell(0, 7, f"{label}: {value}")
    pdf.ln(8)
    pdf.multi_cell(0, 7, "_______________________   _______________________")
    return bytes(pdf.output())
