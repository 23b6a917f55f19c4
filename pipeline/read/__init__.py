"""Read stage: collect the inputs, sniff them safely, read workbooks, the board file and mail."""
