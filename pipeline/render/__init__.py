"""Render stage: one module per output (Word documents, register, marked copies, replies, PDFs, blank workbook)."""
import os
import re
import threading

# Characters XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets): never in a document or a cell.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask (reading it means setting it: guarded for threads). Files made private by mkstemp or
    mkdtemp are given the usual permissions with it before they are published."""
    with _umask_lock:
        mask = os.umask(0)
        os.umask(mask)
    return mask
