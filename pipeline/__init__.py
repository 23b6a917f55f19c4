"""NPO-inhuur: validate and account for external hires paid with NPO funds."""

__version__ = "0.1.0"
