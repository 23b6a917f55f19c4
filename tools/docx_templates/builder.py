"""What every Word template shares: fonts and styles, the page with header and footer, tables whose rows docxtpl
repeats, the title page. Every Jinja tag is written as one run, because docxtpl cannot parse a tag that Word has
split over several runs."""

import io
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


ROOT = Path(__file__).resolve().parents[2]
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


