"""The look the workbooks share: severity colours (marked copies, the Controle sheet) and the print setup of a sheet."""
from __future__ import annotations

# severity -> (fill colour, font colour); unknown severities get no colour
COLOURS: dict[str, tuple[str, str | None]] = {
    "fout": ("FFC7CE", "9C0006"),
    "waarschuwing": ("FFEB9C", "9C5700"),
    "info": ("DDEBF7", None),
}


def print_setup(ws) -> None:
    """Landscape, one page wide: a school can print or export each step readably."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
