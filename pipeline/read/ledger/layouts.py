"""Which column of a ledger export holds what: known headings of the finance systems school boards use.

Sources (DOMAIN §7a, public descriptions):
- AFAS Profit, financial mutations (connector documentation; staging tables of school boards): AccountNo,
  EntryNo, InvoiceId, AmtDebit/AmtCredit, DimAx1–DimAx5, EntryDate; Dutch labels Rekeningnummer, Datum_boeking,
  Factuurnummer, Bedrag_debet, Bedrag_credit, Verbijzondering(sas) 1–5. The supplier is on a creditor line of
  the same entry.
- Exact Online TransactionLines: GLAccountCode, AccountCode/AccountName (supplier), YourRef (the supplier's
  invoice number; InvoiceNumber is Exact's own entry number), AmountDC, Date, CostCenter, Project.
- Exact Globe: fmuta.csv without headings (XML-Server CSV definition "Financiële boekingen": 1 regelnummer,
  2 dagb_type, 3 dagbknr, 6 bkstnr, 7 oms25, 8 datum ddmmjjjj, 9 reknr, 11 crdnr, 12 faktuurnr, 13 bedrag; the
  header record has regelnummer 0); gbkmut (reknr, crdnr, kstplcode, kstdrcode, bdr_hfl, datum, docnumber = the
  supplier's reference, faktuurnr = Exact's own voucher number); creditors crdnr; cmp_name.
- Twinfield transaction browse: Boekdatum, Relatie, Relatienaam, Grootboekrek., Kpl./rel., Act./proj., Bedrag,
  D/C, Factuurnummer.
- Unit4 ERP agltransact: account, amount, apar_id, dim_1..dim_7, ext_inv_ref, trans_date; suppliers asuheader
  (apar_id, apar_name).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.read.board import LAYOUT_CHOICES

ITEMS = ("datum", "rekening", "kostenplaats", "project", "crediteur", "crediteur_naam", "kvk", "factuurnummer",
         "omschrijving", "bedrag", "debet", "credit", "dc", "boekstuk", "regelnummer", "soort_rekening")

# Column headings compared without case, spaces, dots, underscores, dashes, slashes and brackets. Order matters:
# the first heading of an item that a file has wins (YourRef before InvoiceNumber, docnumber before faktuurnr).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "datum": ("boekdatum", "datumboeking", "boekingsdatum", "entrydate", "transdate", "datum", "date", "postingdate",
              "transactiedatum", "documentdatum", "factuurdatum", "boekstukdatum", "voucherdate", "docdate"),
    "rekening": ("grootboekrekening", "grootboekrek", "rekening", "grootboek", "grootboeknummer", "grootboekrekeningnummer",
                 "reknr", "rekeningnummer", "gbrekening", "glaccountcode", "glaccount", "accountno", "account",
                 "accountnumber", "accountnum", "tegenrekening"),
    "kostenplaats": ("kostenplaats", "kostenplaatscode", "kstplcode", "kstpl", "kpl", "kplrel", "costcenter", "costcentre",
                     "afdeling"),
    "project": ("project", "projectcode", "projectnummer", "projectnr", "actproj", "kostendrager", "kostendragercode",
                "kstdrcode", "kstdr"),
    "crediteur": ("crediteur", "crediteurnummer", "crediteurnr", "nummercrediteur", "crednr", "crdnr", "crdcode", "credcode", "creditorid", "creditornumber",
                  "creditor", "relatie", "relatienummer", "coderelatie", "leveranciersnummer", "leveranciercode",
                  "supplierid", "supplier", "aparid", "accountcode"),
    "crediteur_naam": ("crediteurnaam", "naamcrediteur", "naamrelatie", "relatienaam", "leverancier", "leveranciersnaam",
                       "naamleverancier", "creditorname", "accountname", "aparname", "cmpname", "suppliername", "naam",
                       "name", "bedrijfsnaam", "organisatie"),
    "kvk": ("kvk", "kvknummer", "kvknr", "kamervankoophandel", "kamervankoophandelnummer", "chamberofcommerce",
            "cocnumber", "coc", "cmpcoc"),
    "factuurnummer": ("factuurnummer", "factuurnr", "yourref", "uwref", "uwreferentie", "docnumber", "extinvref",
                      "invoiceid", "externfactuurnummer", "invoicenumber", "invoiceno", "invoice", "factuur", "faktuurnr"),
    "omschrijving": ("omschrijving", "oms25", "oms", "boekingsomschrijving", "description", "tekst", "omschrijvingboeking"),
    "bedrag": ("bedrag", "amountdc", "amount", "saldo", "bedragvv", "bdrhfl", "bedrageur", "amountmst", "bedragexclbtw",
               "bedragincl"),
    "debet": ("debet", "bedragdebet", "amtdebit", "debit", "debetbedrag", "amountdebit"),
    "credit": ("credit", "bedragcredit", "amtcredit", "creditbedrag", "amountcredit"),
    "dc": ("dc", "debetcredit", "debitcredit"),
    "boekstuk": ("boekstuknummer", "boekstuknr", "bkstnr", "entryno", "entrynumber", "nummerjournaalpost", "journaalpostnummer", "journaalpost", "boekingsnummer", "boekstuk",
                 "voucherno", "vouchernumber", "entryid"),
    "regelnummer": ("regelnr", "regelnummer", "volgnr"),
    "soort_rekening": ("soortrekening", "kenmerkrekening", "accounttype", "vaas", "typerekening"),
}
# Dimension columns whose meaning a board decides (AFAS verbijzonderingsassen, Unit4 dim_1..dim_7, Exact dim1).
DIMENSION = re.compile(r"^(dimax|dim|verbijzondering|verbijzonderingsas|verbijzonderingas|dimensie)(\d)$")
LABELS = {
    "datum": "datum", "rekening": "grootboekrekening", "kostenplaats": "kostenplaats", "project": "project",
    "crediteur": "crediteurnummer", "crediteur_naam": "naam crediteur", "kvk": "KvK-nummer",
    "factuurnummer": "factuurnummer", "omschrijving": "omschrijving", "bedrag": "bedrag", "debet": "debet",
    "credit": "credit", "dc": "debet/credit", "boekstuk": "boekstuknummer", "regelnummer": "regelnummer",
    "soort_rekening": "soort rekening",
}

# Exact Globe fmuta.csv without headings: 1-based positions of the XML-Server definition "Financiële boekingen".
# Cost centre and cost carrier are found by their values (the board's cost centres and NPO projects) or set on the
# sheet Grootboek by position.
FMUTA = LAYOUT_CHOICES[1]  # the choice on the sheet Grootboek: "Exact Globe FMUTA (zonder kolomkoppen)"
FMUTA_POSITIONS = {"regelnummer": 1, "boekstuk": 6, "omschrijving": 7, "datum": 8, "rekening": 9, "crediteur": 11,
                   "factuurnummer": 12, "bedrag": 13}


def glob_regex(pattern: str) -> str:
    """A pattern like `4*` or `44?0` as an anchored regular expression, compared without case."""
    body = re.escape(pattern.strip()).replace(r"\*", ".*").replace(r"\?", ".")
    return f"(?i)^{body}$"


def key(header: object) -> str:
    return re.sub(r"[\s._\-/()\\]", "", str(header)).casefold()


@dataclass
class Placement:
    """Item -> column name of the frame, the columns that are dimensions, and the layout's name."""

    columns: dict[str, str] = field(default_factory=dict)
    dimensions: list[str] = field(default_factory=list)
    layout: str = "export met kolomkoppen"
    notes: list[str] = field(default_factory=list)


def _position(value: str, width: int) -> int | None:
    """`13`, `kolom 13` or a column letter `M` as a 0-based position within `width` columns."""
    v = value.strip().casefold().removeprefix("kolom").strip()
    if v.isdigit():
        n = int(v) - 1
    elif re.fullmatch(r"[a-z]{1,2}", v):
        n = 0
        for ch in v:
            n = n * 26 + ord(ch) - 96
        n -= 1
    else:
        return None
    return n if 0 <= n < width else None


def place(columns: list[str], mapping: dict[str, str], headerless: bool) -> Placement:
    """Item -> column: the board's mapping (heading or position) first, then the known headings."""
    out = Placement()
    by_key = {key(c): c for c in reversed(columns)}
    for item, name in mapping.items():
        if not name:
            continue
        col = by_key.get(key(name))
        if col is None:
            pos = _position(name, len(columns))
            col = columns[pos] if pos is not None else None
        if col is not None:
            out.columns[item] = col
    taken = set(out.columns.values())
    if headerless:
        out.layout = FMUTA
        for item, pos in FMUTA_POSITIONS.items():
            if item not in out.columns and pos <= len(columns) and columns[pos - 1] not in taken:
                out.columns[item] = columns[pos - 1]
                taken.add(columns[pos - 1])
        out.dimensions = [c for i, c in enumerate(columns) if i >= 13 and c not in taken]
        return out
    for item in ITEMS:
        if item in out.columns:
            continue
        for syn in SYNONYMS[item]:
            col = by_key.get(syn)
            if col is not None and col not in taken:
                out.columns[item] = col
                taken.add(col)
                break
    out.dimensions = [c for c in columns if DIMENSION.match(key(c)) and c not in taken]
    out.layout = recognise(columns)
    return out


def recognise(columns: list[str]) -> str:
    """A name for the layout a user can check against the finance system they exported from."""
    keys = {key(c) for c in columns}
    if {"amtdebit", "amtcredit"} & keys or {"datumboeking", "bedragdebet"} <= keys or any(k.startswith("dimax") for k in keys):
        return "AFAS Profit (financiële mutaties)"
    if "yourref" in keys or "amountdc" in keys or "glaccountcode" in keys:
        return "Exact Online (transactieregels)"
    if "bdrhfl" in keys or ("reknr" in keys and "docnumber" in keys):
        return "Exact Globe (gbkmut)"
    if "regelnr" in keys and ("crednr" in keys or "tegenrekening" in keys):
        return "Exact Globe (FMUTA met kolomkoppen)"
    if "grootboekrek" in keys or "kplrel" in keys or "actproj" in keys:
        return "Twinfield (transactieoverzicht)"
    if "aparid" in keys or "extinvref" in keys or "transdate" in keys:
        return "Unit4 ERP (agltransact)"
    return "export met kolomkoppen"


def is_relations(p: Placement) -> bool:
    """A creditor list: number and name (or KvK), no amounts or dates."""
    c = p.columns
    return "crediteur" in c and ("crediteur_naam" in c or "kvk" in c) and not ({"bedrag", "debet", "credit", "datum"} & c.keys())


def missing(p: Placement, entries: bool) -> list[str]:
    """What a ledger file lacks; the supplier may come from a creditor line of the same entry."""
    c = p.columns
    out = []
    if "datum" not in c:
        out.append("datum")
    if "rekening" not in c and "project" not in c and not p.dimensions:
        out.append("grootboekrekening of project")
    if "crediteur" not in c and "crediteur_naam" not in c and not (entries and "rekening" in c):
        out.append("crediteur")
    if "factuurnummer" not in c:
        out.append("factuurnummer")
    if "bedrag" not in c and not ("debet" in c or "credit" in c):
        out.append("bedrag (of debet en credit)")
    return out
