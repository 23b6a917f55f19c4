"""Development tools outside the installed package: demo board, synthetic workbooks, benchmark, Word-template scaffolding."""
