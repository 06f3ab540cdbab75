"""The decision letter on a leave request, as PDF (fpdf2): the school's name, address and logo, the decision and
its motivation, the legal basis and the objection route. Official letters are Dutch, whatever the site language."""

import contextlib
import io

from django.utils import formats, timezone, translation
from fpdf import FPDF

from ouderportaal.absences.models import AttendanceSettings

LEGAL_BASIS = {
    "13a": "Leerplichtwet 1969, artikel 11 onder f en artikel 13a (verlof wegens de specifieke aard van het "
    "beroep van een van de ouders).",
    "14": "Leerplichtwet 1969, artikel 11 onder g en artikel 14 (verlof wegens gewichtige omstandigheden).",
}
OBJECTION = (
    "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de datum van deze brief schriftelijk "
    "bezwaar maken bij de directeur van de school (Algemene wet bestuursrecht, artikel 6:7). Schrijf in uw "
    "bezwaarschrift uw naam en adres, de datum, dit besluit en waarom u het er niet mee eens bent, en onderteken "
    "het. Tijdens de bezwaarprocedure kunt u de voorzieningenrechter van de rechtbank om een voorlopige voorziening "
    "vragen."
)


def _latin1(text):
    # The PDF's core fonts cover Latin-1 (all Dutch letters); other signs get a plain stand-in.
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("“", '"').replace("”", '"')
    return text.encode("latin-1", "replace").decode("latin-1")


def _date(day):
    return formats.date_format(day, "j F Y")


def decision_letter(leave, *, director):
    with translation.override("nl"):
        return _render(leave, director)


def _render(leave, director):
    pupil, school = leave.pupil, leave.pupil.school
    settings = AttendanceSettings.for_school(school)
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Besluit verlofaanvraag {pupil.full_name}"))
    pdf.set_author(_latin1(school.name))
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    if settings.logo:
        # A broken logo must not stop the decision: the letter goes without it.
        with contextlib.suppress(Exception):
            pdf.image(io.BytesIO(bytes(settings.logo)), x=150, y=15, w=40)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _latin1(school.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for line in (school.street, f"{school.postcode} {school.city}", f"{school.phone} · {school.email}"):
        pdf.cell(0, 5, _latin1(line.replace("·", "-")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 11)
    decided = timezone.localtime(leave.decided_at).date()
    pdf.cell(0, 6, _latin1(f"{school.city}, {_date(decided)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _latin1(f"Aan de ouders/verzorgers van {pupil.full_name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "Onderwerp: besluit op uw verlofaanvraag", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    outcome = "toe te kennen" if leave.status == "granted" else "af te wijzen"
    body = [
        "Geachte ouder/verzorger,",
        (
            f"Op {_date(timezone.localtime(leave.requested_at).date())} vroeg u verlof aan voor {pupil.full_name}, "
            f"geboren op {_date(pupil.birth_date)}, van {_date(leave.starts_on)} tot en met {_date(leave.ends_on)} "
            f"({leave.school_days} schooldag{'en' if leave.school_days != 1 else ''}), wegens "
            f"{leave.get_kind_display()}."
        ),
        f"Ik heb besloten uw aanvraag {outcome}.",
    ]
    for paragraph in body:
        pdf.multi_cell(0, 6, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    for title, text in (
        ("Motivering", leave.motivation),
        ("Wettelijke grondslag", LEGAL_BASIS[leave.kind]),
        ("Bezwaar", OBJECTION),
    ):
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    if leave.status == "refused":
        pdf.multi_cell(
            0,
            6,
            _latin1(
                "Blijft uw kind toch weg, dan is dat ongeoorloofd verzuim. De school moet dat melden bij de "
                "leerplichtambtenaar van uw gemeente."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
    pdf.ln(4)
    pdf.cell(0, 6, "Met vriendelijke groet,", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    name = director.get_full_name() or school.director or director.get_username()
    pdf.cell(0, 6, _latin1(name), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _latin1(f"directeur {school.name}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
