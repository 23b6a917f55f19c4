"""The installed command `npo-inhuur` (pipx install .): the command line of `python -m pipeline` under its own name."""
from __future__ import annotations


def main() -> int:
    from pipeline.cli import main as cli_main

    return cli_main(prog="npo-inhuur")
