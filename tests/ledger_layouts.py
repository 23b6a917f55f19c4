"""Ledger fixtures in the layouts of DOMAIN §7a, written from the demo board's own ledger (which books the demo's
workbook invoices with exactly one planted gap of each kind: L1, L2, L3 and L4).

Each writer follows the public description of its export (see pipeline/read/ledger/layouts.py for the sources)
and writes what that system really writes: AFAS a creditor line per entry and dimensions DimAx1–5, Exact Online
ISO dates with time and right-aligned codes, Exact Globe fmuta.csv without headings with a header record per
entry, gbkmut with SQL amounts and Exact's own voucher number in faktuurnr, Twinfield an unsigned amount with D/C,
Unit4 ISO 8601 dates with Z and the suppliers in asuheader.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path


@dataclass
class Line:
    datum: date
    rekening: str
    kostenplaats: str
    project: str
    crediteur: str
    naam: str
    factuurnummer: str
    omschrijving: str
    bedrag: Decimal  # signed: debit positive


def demo_lines(path: Path) -> list[Line]:
    """The demo ledger (Boekdatum;Rekening;Kostenplaats;Project;Crediteur;Naam crediteur;Factuurnummer;...)."""
    out = []
    for row in path.read_bytes().decode("cp1252").splitlines()[1:]:
        d, rek, kpl, proj, cred, naam, nr, oms, debet, credit = row.split(";")
        amount = _nl(debet) if debet else -_nl(credit)
        out.append(Line(datetime.strptime(d, "%d-%m-%Y").date(), rek, kpl, proj, cred, naam, nr, oms, amount))
    return out


def _nl(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def nl(amount: Decimal) -> str:
    """1.234,56 (Dutch, thousands dot)."""
    whole, cents = f"{abs(amount):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{'-' if amount < 0 else ''}{grouped},{cents}"


def entries(lines: list[Line]) -> list[list[Line]]:
    """One entry per supplier invoice as booked: the lines of one supplier, number and date."""
    groups: dict[tuple, list[Line]] = {}
    for ln in lines:
        groups.setdefault((ln.crediteur, ln.factuurnummer, ln.datum), []).append(ln)
    return list(groups.values())


def creditors(lines: list[Line]) -> dict[str, str]:
    return dict(sorted({(ln.crediteur, ln.naam) for ln in lines}))


def _write(path: Path, rows: list[str], encoding: str = "utf-8", newline: str = "\r\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(rows) + newline).encode(encoding))
    return path


def afas(folder: Path, lines: list[Line], dutch_labels: bool = False) -> list[Path]:
    """AFAS Profit financial mutations: a creditor line (AccountNo = creditor, AmtCredit = the total) and cost lines
    (AccountNo = GL account, DimAx1 = cost centre, DimAx2 = project); the creditor list apart."""
    if dutch_labels:
        head = "Nummer_journaalpost;Dagboek;Datum_boeking;Rekeningnummer;Factuurnummer;Omschrijving;Bedrag_debet;Bedrag_credit;Verbijzondering_1;Verbijzondering_2;Verbijzondering_3"
    else:
        head = "EntryNo;JournalId;EntryDate;AccountNo;InvoiceId;Description;AmtDebit;AmtCredit;DimAx1;DimAx2;DimAx3"
    rows = [head]
    for i, entry in enumerate(entries(lines), start=1):
        e = entry[0]
        total = sum(ln.bedrag for ln in entry)
        d = e.datum.strftime("%d-%m-%Y")
        # the creditor line: credit for an invoice, debit for a credit note
        rows.append(f"{1000 + i};60;{d};{e.crediteur};{e.factuurnummer};{e.omschrijving};"
                    f"{nl(-total) if total < 0 else ''};{nl(total) if total > 0 else ''};;;")
        for ln in entry:
            rows.append(f"{1000 + i};60;{d};{ln.rekening};{ln.factuurnummer};{ln.omschrijving};"
                        f"{nl(ln.bedrag) if ln.bedrag > 0 else ''};{nl(-ln.bedrag) if ln.bedrag < 0 else ''};{ln.kostenplaats};{ln.project};")
    rel = ["Crediteurnummer;Naam;KvK-nummer"] + [f"{c};{n};" for c, n in creditors(lines).items()]
    name = "afas-mutaties-nl.csv" if dutch_labels else "afas-mutaties.csv"
    return [_write(folder / name, rows, "cp1252"), _write(folder / "afas-crediteuren.csv", rel, "cp1252")]


def exact_online(folder: Path, lines: list[Line]) -> list[Path]:
    """Exact Online TransactionLines as exported: YourRef is the supplier's number, InvoiceNumber Exact's own."""
    rows = ["Date,EntryNumber,InvoiceNumber,GLAccountCode,AccountCode,AccountName,YourRef,Description,AmountDC,CostCenter,Project"]
    for i, ln in enumerate(lines):
        rows.append(f"{ln.datum.isoformat()}T00:00:00,{22700000 + i},{23000 + i},{ln.rekening},{ln.crediteur:>10},\"{ln.naam}\","
                    f"{ln.factuurnummer},\"{ln.omschrijving}\",{ln.bedrag:.2f},{ln.kostenplaats:>8},{ln.project}")
    return [_write(folder / "exact-online-transactielijnen.csv", rows, "utf-8-sig")]


FMUTA_WIDTH = 40
FMUTA_COST_CENTRE, FMUTA_CARRIER = 22, 23  # 1-based positions used in these fixtures; found by their values


def fmuta(folder: Path, lines: list[Line]) -> list[Path]:
    """Exact Globe fmuta.csv: no headings; per entry a header record (regelnummer 0, creditor, total) and sub-lines
    (reknr, faktuurnr, bedrag, cost centre and carrier); dates ddmmjjjj; amounts with two decimals."""
    rows = []
    for i, entry in enumerate(entries(lines), start=1):
        e = entry[0]
        d = e.datum.strftime("%d%m%Y")
        head = [""] * FMUTA_WIDTH
        head[0:8] = ["0", "I", "60", "", "", str(5000 + i), e.omschrijving[:25], d]
        head[10], head[11], head[12] = f"{int(e.crediteur):06d}", e.factuurnummer, f"{sum(ln.bedrag for ln in entry):.2f}"
        rows.append(";".join(head))
        for n, ln in enumerate(entry, start=1):
            sub = [""] * FMUTA_WIDTH
            sub[0:9] = [str(n), "I", "60", "", "", str(5000 + i), ln.omschrijving[:25], d, ln.rekening]
            sub[11], sub[12] = ln.factuurnummer, f"{ln.bedrag:.2f}"
            sub[FMUTA_COST_CENTRE - 1], sub[FMUTA_CARRIER - 1] = ln.kostenplaats, ln.project
            rows.append(";".join(sub))
    rel = ["crdnr;cmp_name"] + [f"{int(c):06d};{n}" for c, n in creditors(lines).items()]
    return [_write(folder / "fmuta.csv", rows, "cp1252"), _write(folder / "crediteuren.csv", rel, "cp1252")]


FMUTA_HEADINGS = {1: "Regelnr", 2: "Dagboektype", 3: "Dagboek", 4: "Periode", 5: "Boekjaar", 6: "Boekstuknummer", 7: "Omschrijving",
                  8: "Datum", 9: "Tegenrekening", 10: "Debnr", 11: "Crednr", 12: "Factuurnr", 13: "Bedrag",
                  FMUTA_COST_CENTRE: "Kostenplaats", FMUTA_CARRIER: "Kostendrager"}


def fmuta_headed(folder: Path, lines: list[Line]) -> list[Path]:
    """fmuta.csv exported with headings where the user asks for them (Regelnr; Datum; ...; Tegenrekening; ...; Crednr;
    Factuurnr; Bedrag; ...; Kostenplaats; Kostendrager): header records and sub-lines as without headings."""
    paths = fmuta(folder, lines)
    body = paths[0].read_bytes().decode("cp1252")
    head = ";".join(FMUTA_HEADINGS.get(i, f"Veld{i}") for i in range(1, FMUTA_WIDTH + 1))
    paths[0].unlink()
    return [_write(folder / "fmuta-met-koppen.csv", [head, *body.splitlines()], "cp1252"), paths[1]]


def gbkmut(folder: Path, lines: list[Line]) -> list[Path]:
    """Exact Globe gbkmut (SQL export): the creditor line on 1600 and the cost lines, bdr_hfl with 3 decimals,
    datum with time, docnumber = the supplier's reference, faktuurnr = Exact's own voucher number."""
    rows = ["bkstnr;dagbknr;reknr;crdnr;kstplcode;kstdrcode;datum;docnumber;faktuurnr;oms25;bdr_hfl"]
    for i, entry in enumerate(entries(lines), start=1):
        e = entry[0]
        d = f"{e.datum.isoformat()} 00:00:00.000"
        voucher = str(22700100 + i)
        total = sum(ln.bedrag for ln in entry)
        rows.append(f"{5000 + i};60;1600;{e.crediteur};;;{d};{e.factuurnummer};{voucher};{e.omschrijving[:25]};{-total:.3f}")
        for ln in entry:
            rows.append(f"{5000 + i};60;{ln.rekening};{ln.crediteur};{ln.kostenplaats};{ln.project};{d};{ln.factuurnummer};{voucher};"
                        f"{ln.omschrijving[:25]};{ln.bedrag:.3f}")
    rel = ["crdnr;cmp_name"] + [f"{c};{n}" for c, n in creditors(lines).items()]
    return [_write(folder / "gbkmut.csv", rows), _write(folder / "cicmpy-crediteuren.csv", rel)]


def twinfield(folder: Path, lines: list[Line]) -> list[Path]:
    """Twinfield transaction browse 030_3 with Dutch labels: an unsigned amount with D/C, the creditor line on 1600."""
    rows = ["Boekdatum;Dagboek;Boekstuknr.;Grootboekrek.;Kpl./rel.;Act./proj.;Relatie;Relatienaam;Factuurnummer;Omschrijving;Bedrag;D/C"]
    for i, entry in enumerate(entries(lines), start=1):
        e = entry[0]
        d = e.datum.strftime("%d-%m-%Y")
        total = sum(ln.bedrag for ln in entry)
        rows.append(f"{d};INK;{202300 + i};1600;{e.crediteur};;{e.crediteur};{e.naam};{e.factuurnummer};{e.omschrijving};"
                    f"{nl(abs(total))};{'C' if total > 0 else 'D'}")
        for ln in entry:
            rows.append(f"{d};INK;{202300 + i};{ln.rekening};{ln.kostenplaats};{ln.project};{ln.crediteur};{ln.naam};{ln.factuurnummer};"
                        f"{ln.omschrijving};{nl(abs(ln.bedrag))};{'D' if ln.bedrag > 0 else 'C'}")
    return [_write(folder / "twinfield-030_3.csv", rows, "cp1252")]


def unit4(folder: Path, lines: list[Line]) -> list[Path]:
    """Unit4 ERP agltransact: signed amount, apar_id on every line of the voucher, dim_1 cost centre, dim_2 project,
    ext_inv_ref the supplier's number, trans_date ISO 8601 with Z; suppliers in asuheader."""
    rows = ["voucher_no\taccount\tdim_1\tdim_2\tdim_3\tapar_id\text_inv_ref\ttrans_date\tdescription\tamount"]
    for i, entry in enumerate(entries(lines), start=1):
        e = entry[0]
        d = f"{e.datum.isoformat()}T00:00:00Z"
        total = sum(ln.bedrag for ln in entry)
        rows.append(f"{70000 + i}\t2410\t\t\t\t{e.crediteur}\t{e.factuurnummer}\t{d}\t{e.omschrijving}\t{-total:.2f}")
        for ln in entry:
            rows.append(f"{70000 + i}\t{ln.rekening}\t{ln.kostenplaats}\t{ln.project}\t\t{ln.crediteur}\t{ln.factuurnummer}\t{d}\t"
                        f"{ln.omschrijving}\t{ln.bedrag:.2f}")
    rel = ["apar_id;apar_name"] + [f"{c};{n}" for c, n in creditors(lines).items()]
    return [_write(folder / "agltransact.txt", rows), _write(folder / "asuheader.csv", rel)]


LAYOUTS = {"afas": afas, "afas-nl": lambda f, ls: afas(f, ls, True), "exact-online": exact_online, "fmuta": fmuta,
           "fmuta-koppen": fmuta_headed,
           "gbkmut": gbkmut, "twinfield": twinfield, "unit4": unit4}
