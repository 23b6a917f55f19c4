"""Render stage: one module per output (Word documents, register, marked copies, replies, PDFs, blank workbook)."""
import re

from pipeline.tempfiles import current_umask  # noqa: F401  (the render modules' name for it)

# Characters XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets): never in a document or a cell.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
