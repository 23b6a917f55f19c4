"""NPO-inhuur: validate and account for external hires paid with NPO funds."""
from pathlib import Path

__version__ = "0.1.0"


def templates_dir() -> Path:
    """The Word templates: templates/ of the repository (tools/make_templates.py writes them), or pipeline/templates
    in an installed copy (pipx install .), where pyproject.toml puts them."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"
