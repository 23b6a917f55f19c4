"""The Word templates, one module per document; builder.py holds what they share (styles, tables, title page)."""
