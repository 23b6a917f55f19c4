"""Render stage: one module per output (Word documents, register, marked copies, replies, PDFs, blank workbook)."""
