"""Generate the Word templates (templates/*.docx) for the jaarverslag, the MR and the GMR documents.

Run `python tools/make_templates.py`. The .docx files are committed: a board restyles them in Word or
LibreOffice later (styles "Heading 1/2/3", table style "NPO-tabel", paragraph style "Bedrag"), so this
script is the starting point, not the only way to change them. Every Jinja tag is written as one run,
because docxtpl cannot parse a tag that Word has split over several runs.
"""
from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"

FONT = "Arial"  # LibreOffice maps it to the metric-compatible Liberation Sans
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
TABLE_STYLE = "NPO-tabel"
TEXT_WIDTH_CM = 17.0  # A4 minus 2 cm margins

TABLE_STYLE_XML = f"""
<w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="NPOtabel">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="30" w:after="30" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="20" w:type="dxa"/><w:left w:w="70" w:type="dxa"/>
      <w:bottom w:w="20" w:type="dxa"/><w:right w:w="70" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F4E79"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="lastRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr>
      <w:tcBorders><w:top w:val="double" w:sz="4" w:space="0" w:color="1F4E79"/></w:tcBorders>
      <w:shd w:val="clear" w:color="auto" w:fill="DDEBF7"/>
    </w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band2Horz">
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


@dataclass(frozen=True)
class Col:
    """One table column: header text, the Jinja expression of its cell, width, and whether it holds an amount."""

    header: str
    value: str
    width: float  # cm
    amount: bool = False
    total: str = ""  # Jinja expression for the total row, when the table has one


# --------------------------------------------------------------------------- document set-up


def _set_fonts(doc) -> None:
    """Arial everywhere (no theme fonts), Dutch as the proofing language."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "nl-NL")
    for style in styles.findall(qn("w:style")):
        srpr = style.find(qn("w:rPr"))
        if srpr is not None and srpr.find(qn("w:rFonts")) is not None:
            srpr.remove(srpr.find(qn("w:rFonts")))


def _styles(doc) -> None:
    _set_fonts(doc)
    st = doc.styles
    normal = st["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before, after, color in (
        ("Heading 1", 16, 18, 8, BLUE), ("Heading 2", 13, 14, 6, BLUE), ("Heading 3", 11, 10, 4, GREY),
    ):
        s = st[name]
        s.font.size, s.font.bold, s.font.color.rgb = Pt(size), True, color
        s.font.color.theme_color = None
        s.font.color.rgb = color
        s.paragraph_format.space_before, s.paragraph_format.space_after = Pt(before), Pt(after)
        s.paragraph_format.keep_with_next = True
    title = st["Title"]
    title.font.size, title.font.bold, title.font.color.rgb = Pt(28), True, BLUE
    title.paragraph_format.space_after = Pt(12)
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    sub = st["Subtitle"]
    sub.font.size, sub.font.italic, sub.font.color.rgb = Pt(16), False, GREY
    sub.paragraph_format.space_after = Pt(24)

    cell = st.add_style("Tabeltekst", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = st["Normal"]
    cell.font.size = Pt(8.5)
    cell.paragraph_format.space_before = Pt(1)
    cell.paragraph_format.space_after = Pt(1)
    cell.paragraph_format.line_spacing = 1.0

    amount = st.add_style("Bedrag", WD_STYLE_TYPE.PARAGRAPH)
    amount.base_style = cell
    amount.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    for name in ("Header", "Footer"):  # drop the Letter-size tab stops of python-docx's default template
        ppr = st[name].element.get_or_add_pPr()
        tabs = ppr.find(qn("w:tabs"))
        if tabs is not None:
            ppr.remove(tabs)

    small = st.add_style("Kleine tekst", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = cell
    small.font.size = Pt(7)
    small.font.name = "Courier New"  # Liberation Mono in LibreOffice: hashes line up

    note = st.add_style("Toelichting", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = st["Normal"]
    note.font.size = Pt(9)
    note.font.italic = True
    note.font.color.rgb = GREY

    meta = st.add_style("Titelgegevens", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = st["Normal"]
    meta.font.size = Pt(11)
    meta.paragraph_format.space_after = Pt(4)

    figure = st.add_style("Grafiek", WD_STYLE_TYPE.PARAGRAPH)
    figure.base_style = st["Normal"]
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_together = True

    st.element.append(parse_xml(TABLE_STYLE_XML))


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) as begin/instr/separate/result/end runs."""
    def char(kind: str):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    char("begin")
    r = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _page(doc, header_text: str) -> None:
    """A4, 2 cm margins; header with the board and the document, footer with date, rule set and page numbers.

    Header and footer are one aligned paragraph each (no tab stops), so they also fit the landscape pages.
    """
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True  # a clean title page

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run(header_text)
    header.runs[0].font.size, header.runs[0].font.color.rgb = Pt(8), GREY
    _bottom_border(header)

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("{{ gemaakt_regel }} · pagina ")
    _field(footer, "PAGE")
    footer.add_run(" van ")
    _field(footer, "NUMPAGES")
    for r in footer.runs:
        r.font.size, r.font.color.rgb = Pt(8), GREY


def _table_width(tbl_pr, width_cm: float) -> None:
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(width_cm * 567)))


def _bottom_border(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" w:color="A6A6A6"/></w:pBdr>'))


class Builder:
    """Writes a template paragraph by paragraph; every text (and every Jinja tag) is one run."""

    def __init__(self, header_text: str) -> None:
        self.doc = Document()
        _styles(self.doc)
        _page(self.doc, header_text)
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)
        cp = self.doc.core_properties
        cp.author, cp.last_modified_by, cp.comments, cp.revision = "npo-inhuur", "npo-inhuur", "", 1
        cp.created = cp.modified = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def p(self, text: str = "", style: str | None = None, bold: bool = False, keep: bool = False):
        par = self.doc.add_paragraph(style=style)
        if text:
            run = par.add_run(text)
            run.bold = bold or None
        if keep:
            par.paragraph_format.keep_with_next = True
        return par

    def h1(self, text: str, new_page: bool = False):
        par = self.doc.add_paragraph(style="Heading 1")
        par.add_run(text)
        if new_page:
            par.paragraph_format.page_break_before = True
        return par

    def h2(self, text: str, new_page: bool = False):
        par = self.doc.add_paragraph(style="Heading 2")
        par.add_run(text)
        if new_page:
            par.paragraph_format.page_break_before = True
        return par

    def h3(self, text: str):
        par = self.doc.add_paragraph(style="Heading 3")
        par.add_run(text)
        return par

    def tag(self, text: str):
        """A paragraph holding only a {%p ... %} tag: docxtpl replaces the whole paragraph."""
        return self.doc.add_paragraph(text)

    def bullets(self, lines: list[str]) -> None:
        for line in lines:
            self.doc.add_paragraph(style="List Bullet").add_run(line)

    def orientation(self, landscape: bool) -> None:
        """Start a new section (on a new page) in landscape or portrait; header and footer carry on."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
        section.different_first_page_header_footer = False

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def chart(self, name: str) -> None:
        self.tag(f"{{%p if {name} %}}")
        self.p(f"{{{{ {name} }}}}", style="Grafiek")
        self.tag("{%p endif %}")

    def table(self, cols: list[Col], loop: str, *, total: bool = False, font_pt: float | None = None, together: bool = False):
        """A table: header row repeated on every page, a {%tr for %} body row, optionally a total row.
        `together`: keep the rows on one page with the heading above (a short table that would otherwise
        leave a row or two on a page of its own)."""
        rows = 4 + (1 if total else 0)
        t = self.doc.add_table(rows=rows, cols=len(cols))
        t.style = self.doc.styles[TABLE_STYLE]
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        t.autofit = False
        tbl_pr = t._tbl.tblPr
        _table_width(tbl_pr, sum(c.width for c in cols))
        look = tbl_pr.find(qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            tbl_pr.append(look)
        for attr, val in (("w:val", "04A0" if not total else "04E0"), ("w:firstRow", "1"), ("w:lastRow", "1" if total else "0"),
                          ("w:firstColumn", "0"), ("w:lastColumn", "0"), ("w:noHBand", "0"), ("w:noVBand", "1")):
            look.set(qn(attr), val)
        grid = t._tbl.tblGrid
        for gc, col in zip(grid.findall(qn("w:gridCol")), cols):
            gc.set(qn("w:w"), str(int(col.width * 567)))
        for row in t.rows:
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            for cell, col in zip(row.cells, cols):
                cell.width = Cm(col.width)
        header, loop_row, body, end_row = t.rows[0], t.rows[1], t.rows[2], t.rows[3]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, col in zip(header.cells, cols):
            self._cell(cell, col.header, "Bedrag" if col.amount else "Tabeltekst", font_pt)
        self._cell(loop_row.cells[0], f"{{%tr for r in {loop} %}}", "Tabeltekst", font_pt)
        for cell, col in zip(body.cells, cols):
            self._cell(cell, f"{{{{ {col.value} }}}}" if col.value else "", "Bedrag" if col.amount else "Tabeltekst", font_pt)
        self._cell(end_row.cells[0], "{%tr endfor %}", "Tabeltekst", font_pt)
        if total:
            for cell, col in zip(t.rows[4].cells, cols):
                self._cell(cell, col.total, "Bedrag" if col.amount else "Tabeltekst", font_pt)
        if together:
            for row in t.rows:
                for cell in row.cells:
                    for par in cell.paragraphs:
                        par.paragraph_format.keep_with_next = True
        self.doc.add_paragraph(style="Tabeltekst")  # space after the table; keeps two tables apart
        return t

    def facts(self, loop: str, label_width: float = 5.0):
        """A two-column table of label/value pairs, labels shaded, no header row."""
        t = self.doc.add_table(rows=3, cols=2)
        t.style = self.doc.styles[TABLE_STYLE]
        t.autofit = False
        tbl_pr = t._tbl.tblPr
        _table_width(tbl_pr, TEXT_WIDTH_CM)
        look = tbl_pr.find(qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            tbl_pr.append(look)
        for attr, val in (("w:val", "0000"), ("w:firstRow", "0"), ("w:lastRow", "0"), ("w:firstColumn", "0"),
                          ("w:lastColumn", "0"), ("w:noHBand", "1"), ("w:noVBand", "1")):
            look.set(qn(attr), val)
        widths = (label_width, TEXT_WIDTH_CM - label_width)
        for gc, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths):
            gc.set(qn("w:w"), str(int(w * 567)))
        for row in t.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
        self._cell(t.rows[0].cells[0], f"{{%tr for r in {loop} %}}", "Tabeltekst")
        label = t.rows[1].cells[0]
        self._cell(label, "{{ r.label }}", "Tabeltekst", bold=True)
        label._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="DDEBF7"/>'))
        self._cell(t.rows[1].cells[1], "{{ r.waarde }}", "Tabeltekst")
        self._cell(t.rows[2].cells[0], "{%tr endfor %}", "Tabeltekst")
        self.doc.add_paragraph(style="Tabeltekst")
        return t

    @staticmethod
    def _cell(cell, text: str, style: str, font_pt: float | None = None, bold: bool = False) -> None:
        par = cell.paragraphs[0]
        par.style = style
        if text:
            run = par.add_run(text)
            if font_pt:
                run.font.size = Pt(font_pt)
            if bold:
                run.bold = True

    def save(self, path: Path) -> Path:
        """Save with fixed zip timestamps, so running the script again changes no bytes."""
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        self.doc.save(buf)
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), src.read(info.filename),
                             compress_type=zipfile.ZIP_DEFLATED)
        path.write_bytes(out.getvalue())
        return path


def title_page(b: Builder, title: str, subtitle: str, lines: list[tuple[str, str]],
               trail: str = "de bijlagen laten zien hoe elk bedrag terug te vinden is") -> None:
    b.p("{{ bestuur }}", style="Subtitle")
    b.p(title, style="Title")
    b.p(subtitle, style="Subtitle")
    for label, value in lines:
        par = b.p(style="Titelgegevens")
        par.add_run(label).bold = True
        par.add_run(value)
    b.p()
    b.p("{{ gemaakt_regel }}. Dit document is automatisch samengesteld uit de inhuurwerkboeken die de scholen "
        "hebben ingestuurd. Bedragen en datums komen rechtstreeks uit die werkboeken; " + trail + ".", style="Toelichting")
    b.page_break()


# --------------------------------------------------------------------------- jaarverslag


CATS = "ABCDEF"


def _allocation_table(b: Builder, rows: str, allocation: str, *totals: str) -> None:
    """Per school: allocation, external spending and PNIL with their shares (the year's and the cumulative table)."""
    cols = [("Extern incl. btw", "extern", 2.7), ("Aandeel extern", "aandeel_extern", 1.9), ("PNIL incl. btw", "pnil", 2.6),
            ("Aandeel PNIL", "aandeel_pnil", 1.9)]
    b.table([Col("School", "r.school", 4.2, total="Totaal bestuur"),
             Col(allocation, "r.toekenning", 2.9, amount=True, total="{{ " + totals[0] + " }}"),
             *(Col(title, f"r.{key}", width, amount=True, total="{{ " + total + " }}") for (title, key, width), total in zip(cols, totals[1:]))],
            rows, total=True)


JAARVERSLAG_TITLE_LINES = [  # the title page of the jaarverslag and of its appendices
    ("Bestuur: ", "{{ bestuur }}"),
    ("Verslagjaar: ", "{{ periode }}"),
    ("Gemaakt op: ", "{{ gemaakt_op }}"),
    ("Regelset: ", "versie {{ regelset }}"),
    ("Referentiegegevens: ", "{{ versies_tekst }}"),
]


def jaarverslag() -> Builder:
    b = Builder("{{ bestuur }} · Jaarverslag {{ jaar }} · externe inhuur NPO")
    title_page(b, "Jaarverslag {{ jaar }}", "Externe inhuur met NPO-middelen", JAARVERSLAG_TITLE_LINES)

    b.h1("1. Samenvatting")
    b.p("In {{ jaar }} heeft {{ bestuur }} in totaal {{ totaal.incl }} (inclusief btw) uitgegeven aan externe inhuur "
        "met NPO-middelen; exclusief btw is dat {{ totaal.excl }} en de btw bedraagt {{ totaal.btw }}. Het gaat om "
        "{{ aantal_facturen }} met een factuurdatum in {{ jaar }}, van {{ aantal_inhuren_gefactureerd }} op {{ aantal_scholen_gefactureerd }}.")
    b.p("{{ toekenning_uitleg }}")
    b.bullets([
        "{{ pnil_regel }}",
        "{{ extern_regel }}",
        "Cumulatief tot en met {{ cumulatief_totaal.tot }}: {{ cumulatief_totaal.extern }} extern besteed van {{ cumulatief_totaal.toekenning }} aan toekenningen ({{ cumulatief_totaal.aandeel_extern }}; PNIL {{ cumulatief_totaal.aandeel_pnil }}).",
        "Inhuur die in {{ jaar }} liep of is gefactureerd: {{ aantal_inhuren }}, waarvan {{ aantal_bovenschools }} bovenschools.",
        "Bevindingen bij deze inhuur: {{ naleving_tekst }}.",
        "Inhuur op of boven de Europese aanbestedingsdrempel: {{ aantal_eu }}.",
    ])
    b.p("Alle bedragen zijn gebaseerd op de factuurdatum: een factuur telt mee in het kalenderjaar waarin zij is "
        "gedateerd. De bijlagen staan in een eigen document, {{ bijlagen_bestand }}, in dezelfde map: bijlage A "
        "verantwoordt per invoerbestand hoe het totaal van {{ totaal.incl }} is opgebouwd, bijlage B geeft de "
        "NPO-toekenningen per school en bijlage C de resultaten per inhuur.", style="Toelichting")

    b.orientation(landscape=True)
    b.h1("2. Besteding per school en menukaartcategorie")
    b.p("De tabel toont per school (BRIN) de uitgaven in {{ jaar }} per categorie van de NPO-menukaart, inclusief btw. "
        "De categorie volgt uit de interventie die de school in het werkboek heeft gekozen. Een streepje betekent: geen uitgaven.")
    b.table([Col("School", "r.school", 5.4, total="Totaal bestuur")]
            + [Col(c, f"r.{c}", 2.7, amount=True, total=f"{{{{ totaal_categorie.{c} }}}}") for c in CATS]
            + [Col("Totaal", "r.totaal", 3.2, amount=True, total="{{ totaal_categorie.totaal }}")],
            "scholen_categorie", total=True, font_pt=8)
    b.tag("{%p if zonder_categorie %}")
    b.p("Niet in te delen in een categorie (de interventie staat niet op de menukaart; zie regel P1): "
        "{{ zonder_categorie_tekst }}. Dit bedrag telt wel mee in de kolom Totaal.", style="Toelichting")
    b.tag("{%p endif %}")
    b.p("Categorieën: {{ categorie_legenda }}.", style="Toelichting")
    b.chart("chart_categories")
    b.orientation(landscape=False)

    b.h2("Uitgaven per school, exclusief en inclusief btw")
    b.table([
        Col("School", "r.school", 5.0, total="Totaal bestuur"),
        Col("Facturen", "r.facturen", 1.8, amount=True, total="{{ totaal.facturen }}"),
        Col("Excl. btw", "r.excl", 3.4, amount=True, total="{{ totaal.excl }}"),
        Col("Btw", "r.btw", 3.0, amount=True, total="{{ totaal.btw }}"),
        Col("Incl. btw", "r.incl", 3.4, amount=True, total="{{ totaal.incl }}"),
    ], "scholen_kosten", total=True)
    b.tag("{%p if kosten_noot %}")
    b.p("{{ kosten_noot }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.chart("chart_schools")

    b.h2("Uitgaven per menukaartcategorie")
    b.table([
        Col("Categorie", "r.categorie", 6.6, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.6, amount=True, total=""),
        Col("Excl. btw", "r.excl", 3.0, amount=True, total="{{ totaal.excl }}"),
        Col("Btw", "r.btw", 2.6, amount=True, total="{{ totaal.btw }}"),
        Col("Incl. btw", "r.incl", 3.2, amount=True, total="{{ totaal.incl }}"),
    ], "categorieen", total=True)

    b.h1("3. NPO-middelen en personeel niet in loondienst", new_page=True)
    b.p("Per school de NPO-toekenning voor {{ jaar }} ({{ toekenning_grondslag }}), de uitgaven aan externe inhuur en het deel daarvan dat personeel niet in "
        "loondienst (PNIL) betreft. PNIL zijn betaalde mensen die regulier schoolwerk doen zonder op de loonlijst te staan "
        "(uitzendkrachten, detachering, payroll, zzp'ers, personeel van andere besturen); btw en bureaukosten tellen mee. "
        "De school geeft in het werkboek aan of een inhuur PNIL is.")
    _allocation_table(b, "npo", "Toekenning {{ jaar }}", "toekenning_totaal", "totaal.incl", "aandeel_extern",
                      "pnil.bedrag", "pnil.aandeel")
    b.p("{{ aandeel_noot }}", style="Toelichting")
    b.p("{{ toekenning_bron }}", style="Toelichting")
    b.h2("Cumulatief tot en met {{ cumulatief_totaal.tot }}")
    b.p("NPO-middelen mogen na het schooljaar van toekenning worden besteed (middelen 2022-2023 tot en met 31 juli 2025; "
        "nponderwijs.nl), en na 2022-2023 komen er geen nieuwe middelen bij. Daarom per school alle externe uitgaven tot en "
        "met {{ cumulatief_totaal.tot }} tegenover alle toekenningen tot die datum (een schooljaar naar rato van de maanden "
        "die voorbij zijn).")
    _allocation_table(b, "cumulatief", "Toekenning tot dan", *(f"cumulatief_totaal.{k}" for k in
                      ("toekenning", "extern", "aandeel_extern", "pnil", "aandeel_pnil")))

    b.h1("4. Medezeggenschap")
    b.p("De MR van elke school moet instemmen met het schoolprogramma voordat een inhuur begint, en heeft adviesrecht "
        "bij het inhuren van externe partijen. Voor bovenschoolse inhuur moet ook de GMR instemmen en moet de MR van de "
        "school akkoord gaan met het deel van haar middelen dat bovenschools wordt besteed.")
    b.table([
        Col("School", "r.school", 4.0),
        Col("Inhuren", "r.inhuren", 1.6, amount=True),
        Col("Instemming MR schoolprogramma", "r.instemming", 5.7),
        Col("MR-advies gevraagd", "r.advies", 5.7),
    ], "medezeggenschap")
    b.p("{{ medezeggenschap_gedeeld }}", style="Toelichting")
    b.h2("Bovenschoolse inhuur en de GMR")
    b.tag("{%p if bovenschools %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Externe partij", "r.leverancier", 3.8),
        Col("Instemming GMR", "r.gmr", 2.4),
        Col("Deelnemende scholen: aandeel en MR-akkoord", "r.deelnemers", 5.2),
        Col("Incl. btw {{ jaar }}", "r.bedrag", 2.6, amount=True),
    ], "bovenschools")
    b.tag("{%p else %}")
    b.p("In {{ jaar }} was er geen bovenschoolse inhuur.")
    b.tag("{%p endif %}")

    b.h1("5. Gekozen interventies", new_page=True)
    b.p("Welke interventies van de NPO-menukaart de scholen met externe inhuur hebben ingevuld, met de uitgaven in {{ jaar }} (inclusief btw).")
    b.table([
        Col("Interventie", "r.interventie", 8.4),
        Col("Inhuren", "r.inhuren", 1.7, amount=True),
        Col("Scholen", "r.scholen", 1.7, amount=True),
        Col("Incl. btw", "r.bedrag", 5.2, amount=True),
    ], "interventies")
    b.h2("Soort inhuur")
    b.table([
        Col("Soort inhuur (handreiking OCW)", "r.soort", 12.0),
        Col("Inhuren", "r.inhuren", 2.0, amount=True),
        Col("Incl. btw", "r.bedrag", 3.0, amount=True),
    ], "soorten")

    b.h1("6. Eerste resultaten")
    b.p("Wat de evaluaties tot nu toe laten zien, per categorie van de NPO-menukaart: hoeveel inhuren een evaluatie of "
        "een behaald resultaat hebben vastgelegd, hoeveel resultaten daarbij zijn afgesproken en hoeveel de school als "
        "behaald of deels behaald heeft gemarkeerd. Bijlage C in {{ bijlagen_bestand }} geeft per inhuur de evaluatie en "
        "de belangrijkste uitkomsten.")
    b.tag("{%p if resultaten_overzicht %}")
    b.table([
        Col("Categorie", "r.categorie", 7.0, total="Totaal"),
        Col("Inhuren met evaluatie", "r.inhuren", 2.6, amount=True, total="{{ resultaten_totaal.inhuren }}"),
        Col("Afgesproken resultaten", "r.afgesproken", 2.6, amount=True, total="{{ resultaten_totaal.afgesproken }}"),
        Col("Behaald", "r.behaald", 2.2, amount=True, total="{{ resultaten_totaal.behaald }}"),
        Col("Deels behaald", "r.deels", 2.6, amount=True, total="{{ resultaten_totaal.deels }}"),
    ], "resultaten_overzicht", total=True)
    b.tag("{%p endif %}")
    b.p("{{ zonder_evaluatie }}")

    b.h1("7. Naleving van de regels", new_page=True)
    b.p("Het aantal bevindingen per regel bij de inhuur van {{ jaar }}. Een fout moet worden hersteld, een waarschuwing "
        "vraagt aandacht of een toelichting, info is ter kennisname. Elke school heeft haar werkboek teruggekregen met de "
        "bevindingen gemarkeerd in de cel waar het om gaat.")
    b.tag("{%p if naleving %}")
    b.table([
        Col("Regel", "r.regel", 1.3, total=""),
        Col("Omschrijving", "r.titel", 9.1, total="Totaal"),
        Col("Fout", "r.fout", 2.0, amount=True, total="{{ naleving_totaal.fout }}"),
        Col("Waarschuwing", "r.waarschuwing", 2.6, amount=True, total="{{ naleving_totaal.waarschuwing }}"),
        Col("Info", "r.info", 2.0, amount=True, total="{{ naleving_totaal.info }}"),
    ], "naleving", total=True)
    b.tag("{%p else %}")
    b.p("Er zijn geen bevindingen bij de inhuur van {{ jaar }}.")
    b.tag("{%p endif %}")

    b.h2("Inhuur op of boven de Europese aanbestedingsdrempel")
    b.p("De opdrachtwaarde is de grootste van de contractwaarde en het totaal gefactureerde bedrag, exclusief btw, over de "
        "hele looptijd. Bij een contract voor onbepaalde tijd of met een looptijd van meer dan 48 maanden telt ook het "
        "maandbedrag × 48 (Aanbestedingswet 2012 art. 2.17, onder d en e). De drempel hangt af van de datum waarop de inkoop begon "
        "(eerste offerte, anders het contract).")
    b.tag("{%p if eu %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Externe partij", "r.leverancier", 3.8),
        Col("Waarde", "r.waarde", 2.7, amount=True),
        Col("Drempel", "r.drempel", 2.4, amount=True),
        Col("Procedure", "r.procedure", 2.4),
        Col("Oordeel", "r.oordeel", 2.7),
    ], "eu")
    b.tag("{%p else %}")
    b.p("Geen inhuur van {{ jaar }} kwam op of boven de Europese aanbestedingsdrempel.")
    b.tag("{%p endif %}")
    b.tag("{%p if opgeknipt %}")
    b.p("Mogelijk opgeknipte opdrachten (regel A2): dezelfde partij kreeg binnen één venster opdrachten die samen de drempel halen.", keep=True)
    b.table([Col("Inhuur", "r.inhuur", 3.4), Col("Bevinding", "r.melding", 13.6)], "opgeknipt")
    b.tag("{%p endif %}")

    rechtmatigheid(b)

    b.h2("Volledigheid")
    b.tag("{%p if volledigheid_tekst %}")
    b.p("Het grootboek van het bestuur laat zien wat er is betaald. Per school (kostenplaats) de NPO-uitgaven aan externe "
        "partijen met een boekdatum in {{ jaar }}, exclusief btw, en het deel dat in een werkboek staat. Het verschil is "
        "uitgesplitst naar de reden. Elke factuur staat met haar status op het tabblad Aansluiting van register.xlsx.")
    b.p("{{ volledigheid_tekst }}")
    b.tag("{%p if volledigheid %}")
    b.table([
        Col("School", "r.school", 4.2, total="Totaal"),
        Col("In grootboek", "r.grootboek", 2.6, amount=True, total="{{ volledigheid_totaal.grootboek }}"),
        Col("In werkboeken", "r.verantwoord", 2.6, amount=True, total="{{ volledigheid_totaal.verantwoord }}"),
        Col("Geen werkboek (L1)", "r.geen_werkboek", 2.6, amount=True, total="{{ volledigheid_totaal.geen_werkboek }}"),
        Col("Bedrag wijkt af (L3)", "r.bedrag_wijkt_af", 2.6, amount=True, total="{{ volledigheid_totaal.bedrag_wijkt_af }}"),
        Col("Waarvan andere school (L4)", "r.andere_school", 2.4, amount=True, total="{{ volledigheid_totaal.andere_school }}"),
    ], "volledigheid", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p("Er is geen grootboek ingelezen (map grootboek in de invoermap): de volledigheid van de werkboeken is niet gecontroleerd.")
    b.tag("{%p endif %}")

    b.h1("8. Gebruikte aannames", new_page=True)
    b.p("Dit verslag gebruikt de volgende instellingen en referentiegegevens. 'Standaard' betekent dat het bestuur de "
        "waarde niet heeft aangepast in bestuur.xlsx.")
    b.bullets([
        "NPO-toekenning per kalenderjaar: 7/12 van het schooljaar dat in dat jaar eindigt plus 5/12 van het schooljaar dat in dat jaar begint.",
        "Kosten horen bij het kalenderjaar van hun factuurdatum; uitgaven zijn inclusief btw, tenzij anders vermeld.",
        "Regelset versie {{ regelset }}; {{ versies_tekst }}.",
    ])
    b.table([
        Col("Instelling", "r.label", 6.0),
        Col("Waarde", "r.value", 3.2),
        Col("Herkomst", "r.default", 2.2),
        Col("Bron", "r.source", 5.6),
    ], "aannames")
    b.h2("Europese aanbestedingsdrempels")
    b.table([
        Col("Periode", "r.periode", 6.0),
        Col("Diensten", "r.diensten", 3.0, amount=True),
        Col("Sociale diensten", "r.sociaal", 3.0, amount=True),
        Col("Bron", "r.bron", 5.0),
    ], "drempels")

    return b


def rechtmatigheid(b: Builder) -> None:
    """Section Naleving of the jaarverslag: the rechtmatigheid figures (Onderwijsaccountantsprotocol OCW:
    European procurement weighs in the opinion as fouten and onzekerheden; national procurement goes to the
    management letter)."""
    b.h2("Rechtmatigheid")
    b.p("{{ rechtmatigheid_tekst }}")
    b.p("Fouten: de uitgaven in {{ jaar }} (incl. btw) onder een opdracht boven de Europese drempel zonder Europese "
        "aanbesteding (regel A1) of onder een opgeknipte opdracht (regel A2). Onzekerheden: de uitgaven onder een opdracht "
        "waarvan het werkboek niet genoeg zegt om de procedure te beoordelen. Elke factuur staat in bijlage A; register.xlsx "
        "heeft het tabblad Rechtmatigheid.", style="Toelichting")
    b.tag("{%p if rechtmatigheid_fouten %}")
    b.p("Fouten", bold=True, keep=True)
    b.table([
        Col("Inhuur", "r.inhuur", 3.2, total="Totaal fouten"),
        Col("Regel", "r.regels", 1.3, total=""),
        Col("Reden", "r.reden", 4.2, total=""),
        Col("Facturen", "r.facturen", 3.7, total=""),
        Col("Bedrag incl. btw", "r.bedrag", 2.6, amount=True, total="{{ rechtmatigheid_totaal.fout }}"),
        Col("Aandeel", "r.aandeel", 2.0, amount=True, total="{{ rechtmatigheid_totaal.fout_aandeel }}"),
    ], "rechtmatigheid_fouten", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p if rechtmatigheid_onzeker %}")
    b.p("Onzekerheden", bold=True, keep=True)
    b.table([
        Col("Inhuur", "r.inhuur", 3.2, total="Totaal onzekerheden"),
        Col("Wat ontbreekt", "r.reden", 5.5, total=""),
        Col("Facturen", "r.facturen", 3.7, total=""),
        Col("Bedrag incl. btw", "r.bedrag", 2.6, amount=True, total="{{ rechtmatigheid_totaal.onzeker }}"),
        Col("Aandeel", "r.aandeel", 2.0, amount=True, total="{{ rechtmatigheid_totaal.onzeker_aandeel }}"),
    ], "rechtmatigheid_onzeker", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p if nationaal %}")
    b.p("Nationale aanbesteding en inkoopbeleid (regel A3): bevindingen voor de managementletter, geen fout in de zin van "
        "de rechtmatigheid.", keep=True)
    b.table([Col("Inhuur", "r.inhuur", 3.2), Col("Ernst", "r.ernst", 2.2), Col("Bevinding", "r.melding", 11.6)], "nationaal")
    b.tag("{%p endif %}")


def jaarverslag_bijlagen() -> Builder:
    b = Builder("{{ bestuur }} · Bijlagen bij het jaarverslag {{ jaar }} · externe inhuur NPO")
    title_page(b, "Bijlagen bij het jaarverslag {{ jaar }}", "Externe inhuur met NPO-middelen: de verantwoording",
               JAARVERSLAG_TITLE_LINES, trail="deze bijlagen horen bij het jaarverslag {{ jaar }} "
                                              "(jaarverslag-{{ jaar }}.docx) en laten zien waar de cijfers vandaan komen")
    b.orientation(landscape=True)
    b.h1("Bijlage A. Verantwoording per factuur en per invoerbestand")
    b.h2("A.1 Facturen")
    b.p("Elke factuur met een factuurdatum in {{ jaar }} die meetelt in dit verslag, met de plaats waar zij staat: bestand, "
        "tabblad en cel van het bedrag exclusief btw, en het SHA-256-controlegetal van het bestand. Een bovenschoolse factuur "
        "staat eenmaal per school die meebetaalt, met het aandeel van die school. De som van de kolom Incl. btw is "
        "{{ totaal.incl }}: het totaal van hoofdstuk 1 van het jaarverslag. register.xlsx (tabblad Facturen) bevat dezelfde regels.")
    b.table([
        Col("Factuur", "r.nummer", 2.2, total="Totaal ({{ facturen_totaal.aantal }})"),
        Col("Datum", "r.datum", 2.2, total=""),
        Col("Excl. btw", "r.excl", 2.2, amount=True, total="{{ facturen_totaal.excl }}"),
        Col("Btw", "r.btw", 1.9, amount=True, total="{{ facturen_totaal.btw }}"),
        Col("Incl. btw", "r.incl", 2.2, amount=True, total="{{ facturen_totaal.incl }}"),
        Col("School", "r.school", 1.2, total=""),
        Col("Aandeel", "r.aandeel", 1.4, total=""),
        Col("Bestand", "r.bestand", 4.4, total=""),
        Col("Tabblad", "r.tabblad", 1.6, total=""),
        Col("Cel", "r.cel", 0.9, total=""),
        Col("SHA-256", "r.sha256", 5.5, total=""),
    ], "facturen", total=True, font_pt=6.5)
    b.h2("A.2 Bestanden van het bestuur")
    b.p("bestuur.xlsx is de bron van de scholen, de instellingen en de toekenningen; het grootboek is de bron van de "
        "aansluiting (bijlage D).")
    b.table([Col("Bestand", "r.bestand", 7.0), Col("Rol", "r.rol", 9.0), Col("SHA-256", "r.sha256", 9.7)], "bronbestanden", font_pt=7)
    b.h2("A.3 Invoerbestanden van {{ jaar }}")
    b.p("De invoerbestanden achter de cijfers van {{ jaar }}, met hun SHA-256-controlegetal, wat ermee is gebeurd en het "
        "gefactureerde bedrag met een factuurdatum in {{ jaar }} dat meetelt in dit verslag. Hier staat elk gelezen werkboek "
        "waarvan de inhuur in {{ jaar }} liep of dat een factuur in {{ jaar }} heeft, elke vervangen versie daarvan en elk "
        "bestand dat niet kon worden meegeteld, met de reden. Alleen gelezen werkboeken tellen mee; een vervangen versie "
        "telt niet mee omdat een nieuwere versie van dezelfde inhuur is ingestuurd. Werkboeken van andere jaren staan in "
        "het verslag van hun eigen jaar; alle bestanden van de invoermap staan in register.xlsx (tabblad Bestanden) en in "
        "manifest.json. De som van de kolom Incl. btw is {{ totaal.incl }}: het totaal van hoofdstuk 1 van het jaarverslag.")
    b.p("{{ bestanden_tekst }}", style="Toelichting")
    b.table([
        Col("Bestand", "r.file", 6.0, total="Totaal ({{ bestanden_totaal.aantal }})"),
        Col("SHA-256", "r.sha256", 6.0, total=""),
        Col("Status", "r.status", 2.0, total=""),
        Col("Toelichting", "r.reden", 6.1, total=""),
        Col("Excl. btw", "r.excl", 2.8, amount=True, total="{{ bestanden_totaal.excl }}"),
        Col("Incl. btw", "r.incl", 2.8, amount=True, total="{{ bestanden_totaal.incl }}"),
    ], "bestanden", total=True, font_pt=7)
    b.tag("{%p if zonder_datum %}")
    b.p("{{ zonder_datum }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.h2("A.4 Bestanden die niet meetellen")
    b.tag("{%p if niet_meegeteld %}")
    b.p("Elk bestand in de invoermap dat niet meetelt in enig verslag, met de reden.")
    b.table([Col("Bestand", "r.bestand", 6.5), Col("Status", "r.status", 2.0), Col("Reden", "r.reden", 9.0),
             Col("SHA-256", "r.sha256", 8.2)], "niet_meegeteld", font_pt=7)
    b.tag("{%p else %}")
    b.p("Alle bestanden in de invoermap tellen mee.")
    b.tag("{%p endif %}")

    b.orientation(landscape=False)
    b.h1("Bijlage B. NPO-toekenningen")
    b.p("De toekenningen per school en schooljaar waaruit de toekenning voor {{ jaar }} is berekend. De grondslag zegt of "
        "het bedrag van DUO komt (Overzicht financiële beschikkingen, ingevuld in bestuur.xlsx) of is berekend uit de "
        "leerlingaantallen; een bedrag van DUO gaat altijd voor.")
    b.table([
        Col("School", "r.school", 5.0),
        Col("Schooljaar", "r.schooljaar", 2.4),
        Col("Toekenning", "r.toekenning", 3.2, amount=True),
        Col("Deel in {{ jaar }}", "r.deel", 2.2),
        Col("Grondslag", "r.grondslag", 4.2),
    ], "toekenningen")

    b.h1("Bijlage C. Resultaten per inhuur", new_page=True)
    b.p("Per inhuur van {{ jaar }} met een evaluatie of een behaald resultaat: 'Behaald' telt de resultaten die de "
        "school als behaald heeft gemarkeerd, van het aantal afgesproken resultaten. Tekst van scholen is ontdaan van "
        "mogelijke leerlinggegevens. Hoofdstuk 6 van het jaarverslag telt deze rijen per menukaartcategorie.")
    b.tag("{%p if resultaten %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Interventie", "r.interventie", 3.4),
        Col("Behaald", "r.behaald", 1.9),
        Col("Evaluatie", "r.evaluatie", 2.7),
        Col("Belangrijkste uitkomsten", "r.samenvatting", 6.0),
    ], "resultaten")
    b.tag("{%p endif %}")
    b.p("{{ zonder_evaluatie }}")

    b.h1("Bijlage D. Brug naar het grootboek", new_page=True)
    b.p("{{ brug_tekst }}")
    b.table([
        Col("Stap", "r.stap", 6.5),
        Col("Bedrag", "r.bedrag", 2.6, amount=True),
        Col("Facturen", "r.facturen", 7.9),
    ], "brug", font_pt=7.5)
    b.p("Het jaarverslag telt facturen op hun factuurdatum, inclusief btw; het grootboek telt boekingen op hun boekdatum. "
        "Register.xlsx heeft de brug per factuur op het tabblad Brug en elke factuur met haar status op het tabblad Aansluiting.",
        style="Toelichting")
    return b


# --------------------------------------------------------------------------- MR


def mr() -> Builder:
    b = Builder("{{ bestuur }} · MR-overzicht {{ school }} · schooljaar {{ schooljaar }}")
    title_page(b, "Externe inhuur {{ schooljaar }}", "Overzicht voor de medezeggenschapsraad van {{ school }}", [
        ("School: ", "{{ school }} (BRIN {{ brin }})"),
        ("Schooljaar: ", "{{ periode }}"),
        ("Bestuur: ", "{{ bestuur }}"),
        ("Gemaakt op: ", "{{ gemaakt_op }}"),
        ("Regelset: ", "versie {{ regelset }}"),
    ], trail="de bijlage noemt per inhuur het werkboek, zijn SHA-256-controlegetal en de cellen waar de bedragen staan")

    b.h1("Waarom dit overzicht")
    b.p("Scholen mogen NPO-geld besteden aan externe partijen, zoals tutorbureaus, zzp'ers, adviseurs en aanbieders van "
        "buitenschoolse activiteiten, onder voorwaarden van het ministerie van OCW. De medezeggenschapsraad (MR) heeft "
        "daarbij deze rechten (AVS, Veelgestelde vragen NPO; OCW, Inhuur van externe partijen):")
    b.bullets([
        "Instemmingsrecht op het schoolprogramma: de MR stemt in met het programma voordat een inhuur begint.",
        "Adviesrecht bij het inhuren van een externe partij (artikel 11, lid 1 onder d, Wet medezeggenschap op scholen): "
        "de school vraagt de MR om advies over de inhuur.",
        "Instemming vooraf met bovenschoolse inzet: NPO-middelen van de school mogen alleen bovenschools worden besteed als de "
        "MR vooraf aangeeft welk deel van de schoolmiddelen daarvoor in aanmerking komt en ermee instemt. Over de wijze van "
        "bovenschools inzetten heeft de GMR instemmingsrecht.",
    ])
    b.p("Dit overzicht beschrijft elke inhuur van {{ school }} in schooljaar {{ schooljaar }} in gewone taal: wat er wordt "
        "ingehuurd, bij wie, waarom, wat het kost, hoe de school de vragenlijst van OCW heeft beantwoord en welke punten het "
        "bestuur bij de controle heeft gevonden. Gebruik het om vragen te stellen aan de schoolleiding.")
    b.p("{{ samenvatting }}")
    b.tag("{%p if volledigheid %}")
    b.p("{{ volledigheid }}")
    b.tag("{%p endif %}")

    b.h2("Alle inhuur op een rij")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0, total="Totaal"),
        Col("Externe partij", "r.leverancier", 3.8, total=""),  # 'Onderwijsondersteuning' whole at 9 pt
        Col("Interventie", "r.interventie", 2.9, total=""),
        Col("Contractwaarde excl. btw", "r.contractwaarde", 2.6, amount=True, total="{{ totaal_contract }}"),
        Col("Gefactureerd in {{ schooljaar }} incl. btw", "r.gefactureerd", 2.6, amount=True, total="{{ totaal_gefactureerd }}"),
        Col("MR-advies gevraagd", "r.advies", 2.1, total=""),
    ], "overzicht", total=True)
    b.p("Een bevinding met ernst 'fout' betekent dat de inhuur niet aan een regel voldoet en moet worden hersteld; "
        "'waarschuwing' vraagt om aandacht of een toelichting; 'info' is ter kennisname.", style="Toelichting")

    b.tag("{%p for h in inhuren %}")
    b.h1("{{ h.titel }}", new_page=True)
    b.p("{{ h.samenvatting }}")
    b.h2("Kerngegevens")
    b.facts("h.gegevens")
    b.h2("Medezeggenschap")
    b.facts("h.medezeggenschap")
    b.h2("Vragenlijst van OCW")
    b.p("De elf vragen van de 'Vragenlijst inhuur externe partij' uit de handreiking Inhuur van externe partijen van het "
        "ministerie van OCW, letterlijk overgenomen, met het antwoord en de toelichting van de school.")
    b.table([
        Col("Nr", "r.nr", 0.8),
        Col("Vraag", "r.vraag", 6.4),
        Col("Antwoord", "r.antwoord", 1.8),
        Col("Toelichting en bewijs van de school", "r.toelichting", 8.0),
    ], "h.vragen")
    b.h2("Afgesproken resultaten")
    b.tag("{%p if h.resultaten %}")
    b.table([
        Col("Resultaat", "r.resultaat", 6.2),
        Col("Soort", "r.soort", 2.6),
        Col("Deadline", "r.deadline", 2.8),
        Col("Indicator", "r.indicator", 3.6),
        Col("Behaald", "r.behaald", 1.8),
    ], "h.resultaten")
    b.tag("{%p else %}")
    b.p("De school heeft geen resultaten vastgelegd.")
    b.tag("{%p endif %}")
    b.p("{{ h.evaluatie }}")
    b.h2("Bevindingen van het bestuur")
    b.tag("{%p if h.bevindingen %}")
    b.table([
        Col("Ernst", "r.ernst", 2.2),
        Col("Regel", "r.regel", 3.6),
        Col("Wat er aan de hand is en wat de school moet doen", "r.melding", 11.2),
    ], "h.bevindingen", together=True)
    b.tag("{%p else %}")
    b.p("Het bestuur heeft bij deze inhuur niets gevonden dat aandacht vraagt.")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.h1("Bijlage. Herkomst van de gegevens", new_page=True)
    b.p("Per inhuur het werkboek waaruit de gegevens komen, met zijn SHA-256-controlegetal, en de cellen waarin de "
        "contractwaarde en de factuurbedragen staan. Een accountant kan elk bedrag zo terugvinden.")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Bestand", "r.bestand", 4.0),
        Col("SHA-256", "r.sha256", 5.0),
        Col("Cellen", "r.cellen", 5.0),
    ], "herkomst", font_pt=7)
    return b


# --------------------------------------------------------------------------- GMR


def gmr() -> Builder:
    b = Builder("{{ bestuur }} · GMR-overzicht externe inhuur NPO · schooljaar {{ schooljaar }}")
    title_page(b, "Externe inhuur {{ schooljaar }}", "Overzicht voor de gemeenschappelijke medezeggenschapsraad", [
        ("Bestuur: ", "{{ bestuur }}"),
        ("Schooljaar: ", "{{ periode }}"),
        ("Gemaakt op: ", "{{ gemaakt_op }}"),
        ("Regelset: ", "versie {{ regelset }}"),
    ], trail="de bijlage noemt per inhuur het werkboek, zijn SHA-256-controlegetal en de cellen waar de bedragen staan")

    b.h1("1. Samenvatting")
    b.p("In schooljaar {{ schooljaar }} hebben de scholen van {{ bestuur }} {{ aantal_inhuren }} geregistreerd "
        "({{ aantal_bovenschools }} bovenschools). De facturen met een datum in dit schooljaar bedragen samen "
        "{{ totaal.incl }} inclusief btw ({{ totaal.excl }} exclusief btw). {{ toekenning_tekst }}")
    b.p("De GMR stemt in met bovenschoolse besteding van NPO-middelen. Hoofdstuk 3 laat per bovenschoolse inhuur zien "
        "of die instemming, en het akkoord van de MR van de school, in het werkboek is vastgelegd.")
    b.p("{{ naleving_tekst }}")

    b.h1("2. Besteding per school")
    b.table([
        Col("School", "r.school", 4.2, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.5, amount=True, total="{{ aantal_inhuren_getal }}"),
        Col("Toekenning", "r.toekenning", 2.8, amount=True, total="{{ toekenning_totaal }}"),
        Col("Besteed incl. btw", "r.besteed", 2.8, amount=True, total="{{ totaal.incl }}"),
        Col("Aandeel", "r.aandeel", 1.7, amount=True, total="{{ aandeel_extern }}"),
        Col("Fout", "r.fouten", 1.4, amount=True, total="{{ naleving_totaal.fout }}"),
        Col("Waarsch.", "r.waarschuwingen", 1.6, amount=True, total="{{ naleving_totaal.waarschuwing }}"),
        Col("MR", "r.mr", 1.0, total=""),
    ], "scholen", total=True)
    b.p("Besteed: facturen met een factuurdatum in schooljaar {{ schooljaar }}. Fout en Waarsch.: bevindingen bij de "
        "inhuur van dit schooljaar. MR: bij hoeveel inhuren de MR-instemming op het schoolprogramma is vastgelegd.", style="Toelichting")
    b.tag("{%p if aandeel_noot %}")
    b.p("{{ aandeel_noot }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.tag("{%p if scholen_noot %}")
    b.p("{{ scholen_noot }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.chart("chart_schools")
    b.h2("Per menukaartcategorie")
    b.table([
        Col("Categorie", "r.categorie", 6.6, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.6, amount=True, total=""),
        Col("Excl. btw", "r.excl", 3.0, amount=True, total="{{ totaal.excl }}"),
        Col("Btw", "r.btw", 2.6, amount=True, total="{{ totaal.btw }}"),
        Col("Incl. btw", "r.incl", 3.2, amount=True, total="{{ totaal.incl }}"),
    ], "categorieen", total=True)
    b.chart("chart_categories")

    b.h1("3. Bovenschoolse inhuur", new_page=True)
    b.p("Inhuur op bestuursniveau, voor meerdere scholen. Hiervoor is instemming van de GMR nodig, en vooraf het akkoord "
        "van de MR van elke deelnemende school met het deel van haar middelen (regel P4). De uitgaven tellen bij elke "
        "deelnemende school voor haar aandeel.")
    b.tag("{%p if bovenschools %}")
    b.table([  # widths: a supplier's longest word ("Onderwijsondersteuning") stays whole
        Col("Inhuur", "r.inhuur", 2.6),
        Col("Externe partij", "r.leverancier", 3.8),
        Col("Interventie", "r.interventie", 2.6),
        Col("Waarde excl. btw", "r.waarde", 2.0, amount=True),
        Col("Instemming GMR", "r.gmr", 2.0),
        Col("Deelnemers: aandeel en MR-akkoord", "r.deelnemers", 4.0),
    ], "bovenschools")
    b.tag("{%p else %}")
    b.p("In schooljaar {{ schooljaar }} is geen bovenschoolse inhuur geregistreerd.")
    b.tag("{%p endif %}")

    b.h1("4. Alle inhuur")
    b.table([  # widths: a supplier's longest word ("Onderwijsondersteuning") stays whole
        Col("Inhuur", "r.inhuur", 2.9),
        Col("Externe partij", "r.leverancier", 3.9),
        Col("Interventie", "r.interventie", 3.2),
        Col("Niveau", "r.niveau", 2.2),
        Col("Waarde excl. btw", "r.waarde", 2.3, amount=True),
        Col("MR-advies gevraagd", "r.advies", 2.5),
    ], "inhuren")

    b.h1("5. Naleving van de regels")
    b.tag("{%p if naleving %}")
    b.table([
        Col("Regel", "r.regel", 1.3, total=""),
        Col("Omschrijving", "r.titel", 9.1, total="Totaal"),
        Col("Fout", "r.fout", 2.0, amount=True, total="{{ naleving_totaal.fout }}"),
        Col("Waarschuwing", "r.waarschuwing", 2.6, amount=True, total="{{ naleving_totaal.waarschuwing }}"),
        Col("Info", "r.info", 2.0, amount=True, total="{{ naleving_totaal.info }}"),
    ], "naleving", total=True)
    b.tag("{%p else %}")
    b.p("Er zijn geen bevindingen bij de inhuur van dit schooljaar.")
    b.tag("{%p endif %}")
    b.p("Gebruikte aannames: regelset versie {{ regelset }}; {{ versies_tekst }}.", style="Toelichting")
    b.h1("Bijlage. Herkomst van de gegevens", new_page=True)
    b.p("Per inhuur het werkboek waaruit de gegevens komen, met zijn SHA-256-controlegetal, en de cellen waarin de "
        "contractwaarde en de factuurbedragen staan. Een accountant kan elk bedrag zo terugvinden.")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Bestand", "r.bestand", 4.0),
        Col("SHA-256", "r.sha256", 5.0),
        Col("Cellen", "r.cellen", 5.0),
    ], "herkomst", font_pt=7)
    return b


def eindverantwoording() -> Builder:
    """The programme's closing account: the whole NPO programme per school, for the board, the GMR and the auditor."""
    b = Builder("{{ bestuur }} · Eindverantwoording {{ titel }} · externe inhuur en NPO-middelen")
    title_page(b, "Eindverantwoording {{ titel }}", "Externe inhuur en besteding van de NPO-middelen over het hele programma", [
        ("Bestuur: ", "{{ bestuur }}"),
        ("Programma: ", "{{ programma }}"),
        ("Gemaakt op: ", "{{ gemaakt_op }}"),
        ("Regelset: ", "versie {{ regelset }}"),
        ("Referentiegegevens: ", "{{ versies_tekst }}"),
    ], trail="register.xlsx (tabblad Programma) bevat elk bedrag en elk aantal uit dit document")

    b.h1("1. Samenvatting")
    b.p("{{ samenvatting }}")
    b.p("{{ na_einde_tekst }}")
    b.tag("{%p if alle_npo %}")
    b.p("{{ alle_npo_tekst }}")
    b.tag("{%p endif %}")

    b.h1("2. Voor de GMR")
    b.p("Dit hoofdstuk vat de eindverantwoording samen in gewone taal. De MR van elke school vindt de inhuur van haar eigen "
        "school in het MR-overzicht van schooljaar {{ laatste_schooljaar }}.", style="Toelichting")
    b.tag("{%p for g in gmr %}")
    b.p("{{ g.kop }}", bold=True, keep=True)
    b.p("{{ g.tekst }}")
    b.tag("{%p endfor %}")

    b.h1("3. Toekenning en besteding per school", new_page=True)
    b.table([
        Col("School", "r.school", 3.6, total="Totaal bestuur"),
        Col("Toekenning", "r.toekenning", 2.5, amount=True, total="{{ scholen_totaal.toekenning }}"),
        Col("Herkomst", "r.herkomst", 1.9, total=""),
        Col("Extern incl. btw", "r.extern", 2.5, amount=True, total="{{ scholen_totaal.extern }}"),
        Col("Aandeel extern", "r.aandeel_extern", 1.6, amount=True, total="{{ scholen_totaal.aandeel_extern }}"),
        Col("PNIL incl. btw", "r.pnil", 2.5, amount=True, total="{{ scholen_totaal.pnil }}"),
        Col("Aandeel PNIL", "r.aandeel_pnil", 1.6, amount=True, total="{{ scholen_totaal.aandeel_pnil }}"),
    ], "scholen", total=True)
    b.p("Toekenning: alle NPO-toekenningen van het programma. Extern: alle facturen van externe partijen in de werkboeken, "
        "op factuurdatum, ook die na de einddatum. Herkomst: DUO (Overzicht financiële beschikkingen) of berekend.", style="Toelichting")
    b.chart("chart_schools")
    b.h2("Toekenning per schooljaar")
    b.p("{{ herkomst_tekst }}")
    b.table([
        Col("School", "r.school", 6.0, total="Totaal bestuur"),
        Col("Schooljaar", "r.schooljaar", 3.0, total=""),
        Col("Toekenning", "r.toekenning", 4.0, amount=True, total="{{ toekenning_totaal }}"),
        Col("Herkomst", "r.herkomst", 4.0, total=""),
    ], "toekenningen", total=True)

    b.h1("4. Besteding per schooljaar en per kalenderjaar", new_page=True)
    b.h2("Per schooljaar (1 augustus tot en met 31 juli)")
    period_cols = [Col("Facturen", "r.facturen", 2.0, amount=True, total="{{ besteding_totaal.facturen }}"),
                   Col("Excl. btw", "r.excl", 3.4, amount=True, total="{{ besteding_totaal.excl }}"),
                   Col("Incl. btw", "r.incl", 3.4, amount=True, total="{{ besteding_totaal.incl }}")]
    b.table([Col("School", "r.school", 5.2, total="Totaal bestuur"), Col("Schooljaar", "r.periode", 3.0, total=""), *period_cols],
            "per_schooljaar", total=True)
    b.h2("Per kalenderjaar (zoals in de jaarverslagen)")
    b.p("{{ jaren_tekst }}")
    b.table([Col("School", "r.school", 5.2, total="Totaal bestuur"), Col("Kalenderjaar", "r.periode", 3.0, total=""), *period_cols],
            "per_kalenderjaar", total=True)

    b.h1("5. Besteding per menukaartcategorie", new_page=True)
    b.table([
        Col("Categorie", "r.categorie", 7.0, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.6, amount=True, total="{{ open_totaal.inhuren }}"),
        Col("Excl. btw", "r.excl", 3.0, amount=True, total="{{ besteding_totaal.excl }}"),
        Col("Incl. btw", "r.incl", 3.0, amount=True, total="{{ besteding_totaal.incl }}"),
        Col("Aandeel", "r.aandeel", 1.8, amount=True, total=""),
    ], "categorieen", total=True)
    b.chart("chart_categories")
    b.h2("Per school, inclusief btw")
    b.table([Col("School", "r.school", 2.6, total="Totaal bestuur"),
             *(Col(c, f"r.{c}", 1.75, amount=True, total="{{ categorie_totaal." + c + " }}") for c in CATS),
             Col("Geen", "r.geen", 1.3, amount=True, total="{{ categorie_totaal.geen }}"),
             Col("Totaal", "r.totaal", 2.6, amount=True, total="{{ categorie_totaal.totaal }}")],
            "categorie_scholen", total=True, font_pt=7)
    b.p("{{ categorie_legenda }}. Geen: de interventie staat niet op de menukaart.", style="Toelichting")

    b.h1("6. Resultaten per menukaartcategorie")
    b.tag("{%p if resultaten %}")
    b.table([
        Col("Categorie", "r.categorie", 7.4, total="Totaal"),
        Col("Inhuren met evaluatie", "r.inhuren", 2.4, amount=True, total="{{ resultaten_totaal.inhuren }}"),
        Col("Resultaten afgesproken", "r.afgesproken", 2.4, amount=True, total="{{ resultaten_totaal.afgesproken }}"),
        Col("Behaald", "r.behaald", 2.4, amount=True, total="{{ resultaten_totaal.behaald }}"),
        Col("Deels behaald", "r.deels", 2.4, amount=True, total="{{ resultaten_totaal.deels }}"),
    ], "resultaten", total=True)
    b.tag("{%p else %}")
    b.p("Bij geen enkele inhuur is een evaluatie of een behaald resultaat vastgelegd.")
    b.tag("{%p endif %}")

    b.h1("7. Wat nog open staat", new_page=True)
    b.table([
        Col("School", "r.school", 4.6, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.8, amount=True, total="{{ open_totaal.inhuren }}"),
        Col("Fouten", "r.fouten", 1.8, amount=True, total="{{ open_totaal.fouten }}"),
        Col("Waarschuwingen", "r.waarschuwingen", 2.6, amount=True, total="{{ open_totaal.waarschuwingen }}"),
        Col("Zonder evaluatie", "r.zonder_evaluatie", 2.4, amount=True, total="{{ open_totaal.zonder_evaluatie }}"),
        Col("Gefactureerd na einde", "r.na_einde", 3.8, amount=True, total="{{ open_totaal.na_einde }}"),
    ], "open", total=True)
    b.p("Fouten en waarschuwingen: de bevindingen die nog open staan bij de werkboeken die meetellen (en bij het grootboek); "
        "register.xlsx (tabblad Bevindingen) noemt ze een voor een. Inhuren: een bovenschoolse inhuur telt bij elke school "
        "die meebetaalt.", style="Toelichting")
    b.h2("Inhuren zonder evaluatie (stap 5)")
    b.tag("{%p if zonder_evaluatie %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.6),
        Col("School", "r.school", 4.6),
        Col("Externe partij", "r.leverancier", 5.4),
        Col("Einddatum", "r.einde", 3.4),
    ], "zonder_evaluatie")
    b.tag("{%p else %}")
    b.p("Van elke inhuur is de evaluatie vastgelegd.")
    b.tag("{%p endif %}")

    b.h1("8. Uitgaven na de einddatum ({{ einde }})")
    b.p("{{ na_einde_tekst }}")
    b.tag("{%p if facturen_na_einde %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.2, total="Totaal"),
        Col("Factuur", "r.nummer", 2.6, total=""),
        Col("Datum", "r.datum", 2.8, total=""),
        Col("School", "r.school", 3.4, total=""),
        Col("Excl. btw", "r.excl", 2.5, amount=True, total="{{ facturen_na_einde_totaal.excl }}"),
        Col("Incl. btw", "r.incl", 2.5, amount=True, total="{{ facturen_na_einde_totaal.incl }}"),
    ], "facturen_na_einde", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p if boekingen_na_einde %}")
    b.table([
        Col("Grootboekbestand", "r.bestand", 3.6, total="Totaal"),
        Col("Regel", "r.regel", 1.3, total=""),
        Col("Boekdatum", "r.datum", 2.6, total=""),
        Col("School", "r.school", 3.0, total=""),
        Col("Omschrijving", "r.omschrijving", 4.0, total=""),
        Col("Bedrag", "r.bedrag", 2.5, amount=True, total="{{ boekingen_na_einde_totaal }}"),
    ], "boekingen_na_einde", total=True, font_pt=8)
    b.tag("{%p endif %}")

    b.h1("9. Alle NPO-uitgaven volgens het grootboek")
    b.p("{{ alle_npo_tekst }}")
    b.tag("{%p if alle_npo %}")
    b.table([
        Col("School", "r.school", 4.6, total="Totaal bestuur"),
        Col("Toekenning", "r.toekenning", 3.1, amount=True, total="{{ alle_npo_totaal.toekenning }}"),
        Col("Besteed t/m einddatum", "r.besteed", 3.1, amount=True, total="{{ alle_npo_totaal.besteed }}"),
        Col("Niet besteed op einddatum", "r.niet_besteed", 3.1, amount=True, total="{{ alle_npo_totaal.niet_besteed }}"),
        Col("Geboekt na einddatum", "r.na_einde", 3.1, amount=True, total="{{ alle_npo_totaal.na_einde }}"),
    ], "alle_npo", total=True)
    b.tag("{%p endif %}")

    b.h1("10. Hoe de bedragen zijn bepaald")
    b.bullets([
        "Externe besteding: de facturen in de werkboeken die meetellen (de nieuwste versie van elke inhuur), op factuurdatum, "
        "inclusief btw (scholen kunnen btw niet aftrekken). Een bovenschoolse factuur telt bij elke deelnemende school voor haar aandeel.",
        "De besteding per kalenderjaar is per school gelijk aan de jaarverslagen van die jaren; opgeteld geeft zij het totaal van het programma.",
        "Toekenningen: het bedrag van DUO waar het bestuur dat in bestuur.xlsx heeft ingevuld, anders berekend uit de leerlingaantallen.",
        "Einddatum van het programma: {{ einde }} (bestuur.xlsx, tabblad Instellingen). Uitgaven daarna zijn bevindingen P9.",
        "Elk bedrag en elk aantal uit dit document staat in register.xlsx (tabblad Programma) en in data/programma.parquet.",
    ])
    b.p("Gebruikte aannames: regelset versie {{ regelset }}; {{ versies_tekst }}.", style="Toelichting")
    return b


BUILDERS = {"jaarverslag": jaarverslag, "jaarverslag-bijlagen": jaarverslag_bijlagen, "mr": mr, "gmr": gmr,
            "eindverantwoording": eindverantwoording}


def main(outdir: Path = TEMPLATES) -> list[Path]:
    return [build().save(outdir / f"{name}.docx") for name, build in BUILDERS.items()]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES):
        print(path)
