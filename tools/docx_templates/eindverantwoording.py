"""The programme's closing account (NPO 2021-2025)."""
from __future__ import annotations

from tools.docx_templates.builder import Builder, CATS, Col, title_page


def eindverantwoording() -> Builder:
    """The programme's closing account: the whole NPO programme per school, for the board, the GMR and the auditor."""
    b = Builder("{{ bestuur }} · Eindverantwoording {{ titel }} · externe inhuur en NPO-middelen")
    title_page(b, "Eindverantwoording {{ titel }}", "Externe inhuur en besteding van de NPO-middelen over het hele programma", [
        ("Bestuur: ", "{{ bestuur }}"),
        ("Programma: ", "{{ programma }}"),
        ("Gemaakt op: ", "{{ gemaakt_op }}"),
        ("Regelset: ", "versie {{ regelset }}"),
        ("Referentiegegevens: ", "{{ versies_tekst }}"),
    ], trail="register.xlsx (tabblad Programma) bevat elk bedrag en elk aantal uit dit document")

    b.h1("1. Samenvatting")
    b.p("{{ samenvatting }}")
    b.p("{{ na_einde_tekst }}")
    b.tag("{%p if alle_npo %}")
    b.p("{{ alle_npo_tekst }}")
    b.tag("{%p endif %}")

    b.h1("2. Voor de GMR")
    b.p("Dit hoofdstuk vat de eindverantwoording samen in gewone taal. De MR van elke school vindt de inhuur van haar eigen "
        "school in het MR-overzicht van schooljaar {{ laatste_schooljaar }}.", style="Toelichting")
    b.tag("{%p for g in gmr %}")
    b.p("{{ g.kop }}", bold=True, keep=True)
    b.p("{{ g.tekst }}")
    b.tag("{%p endfor %}")

    b.h1("3. Toekenning en besteding per school", new_page=True)
    b.table([
        Col("School", "r.school", 3.6, total="Totaal bestuur"),
        Col("Toekenning", "r.toekenning", 2.5, amount=True, total="{{ scholen_totaal.toekenning }}"),
        Col("Herkomst", "r.herkomst", 1.9, total=""),
        Col("Extern incl. btw", "r.extern", 2.5, amount=True, total="{{ scholen_totaal.extern }}"),
        Col("Aandeel extern", "r.aandeel_extern", 1.6, amount=True, total="{{ scholen_totaal.aandeel_extern }}"),
        Col("PNIL incl. btw", "r.pnil", 2.5, amount=True, total="{{ scholen_totaal.pnil }}"),
        Col("Aandeel PNIL", "r.aandeel_pnil", 1.6, amount=True, total="{{ scholen_totaal.aandeel_pnil }}"),
    ], "scholen", total=True)
    b.p("Toekenning: alle NPO-toekenningen van het programma. Extern: alle facturen van externe partijen in de werkboeken, "
        "op factuurdatum, ook die na de einddatum. Herkomst: DUO (Overzicht financiële beschikkingen) of berekend.", style="Toelichting")
    b.chart("chart_schools")
    b.h2("Toekenning per schooljaar")
    b.p("{{ herkomst_tekst }}")
    b.table([
        Col("School", "r.school", 6.0, total="Totaal bestuur"),
        Col("Schooljaar", "r.schooljaar", 3.0, total=""),
        Col("Toekenning", "r.toekenning", 4.0, amount=True, total="{{ toekenning_totaal }}"),
        Col("Herkomst", "r.herkomst", 4.0, total=""),
    ], "toekenningen", total=True)

    b.h1("4. Besteding per schooljaar en per kalenderjaar", new_page=True)
    b.h2("Per schooljaar (1 augustus tot en met 31 juli)")
    period_cols = [Col("Facturen", "r.facturen", 2.0, amount=True, total="{{ besteding_totaal.facturen }}"),
                   Col("Excl. btw", "r.excl", 3.4, amount=True, total="{{ besteding_totaal.excl }}"),
                   Col("Incl. btw", "r.incl", 3.4, amount=True, total="{{ besteding_totaal.incl }}")]
    b.table([Col("School", "r.school", 5.2, total="Totaal bestuur"), Col("Schooljaar", "r.periode", 3.0, total=""), *period_cols],
            "per_schooljaar", total=True)
    b.p("Per school staan de schooljaren en hun totaal (Totaal programma); Totaal bestuur telt elke factuur één keer. Een "
        "bovenschoolse factuur telt bij elke school die meebetaalt, voor haar aandeel: het aantal facturen van de scholen "
        "samen is daardoor groter dan dat van het bestuur, de bedragen niet.", style="Toelichting")
    b.h2("Per kalenderjaar (zoals in de jaarverslagen)")
    b.p("{{ jaren_tekst }}")
    b.table([Col("School", "r.school", 5.2, total="Totaal bestuur"), Col("Kalenderjaar", "r.periode", 3.0, total=""), *period_cols],
            "per_kalenderjaar", total=True)

    b.h1("5. Besteding per menukaartcategorie", new_page=True)
    b.table([
        Col("Categorie", "r.categorie", 7.0, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.6, amount=True, total="{{ open_totaal.inhuren }}"),
        Col("Excl. btw", "r.excl", 3.0, amount=True, total="{{ besteding_totaal.excl }}"),
        Col("Incl. btw", "r.incl", 3.0, amount=True, total="{{ besteding_totaal.incl }}"),
        Col("Aandeel", "r.aandeel", 1.8, amount=True, total=""),
    ], "categorieen", total=True)
    b.chart("chart_categories")
    b.h2("Per school, inclusief btw")
    b.table([Col("School", "r.school", 2.6, total="Totaal bestuur"),
             *(Col(c, f"r.{c}", 1.75, amount=True, total="{{ categorie_totaal." + c + " }}") for c in CATS),
             Col("Geen", "r.geen", 1.3, amount=True, total="{{ categorie_totaal.geen }}"),
             Col("Totaal", "r.totaal", 2.6, amount=True, total="{{ categorie_totaal.totaal }}")],
            "categorie_scholen", total=True, font_pt=7)
    b.p("{{ categorie_legenda }}. Geen: de interventie staat niet op de menukaart.", style="Toelichting")

    b.h1("6. Resultaten per menukaartcategorie")
    b.tag("{%p if resultaten %}")
    b.table([
        Col("Categorie", "r.categorie", 7.4, total="Totaal"),
        Col("Inhuren met evaluatie", "r.inhuren", 2.4, amount=True, total="{{ resultaten_totaal.inhuren }}"),
        Col("Resultaten afgesproken", "r.afgesproken", 2.4, amount=True, total="{{ resultaten_totaal.afgesproken }}"),
        Col("Behaald", "r.behaald", 2.4, amount=True, total="{{ resultaten_totaal.behaald }}"),
        Col("Deels behaald", "r.deels", 2.4, amount=True, total="{{ resultaten_totaal.deels }}"),
    ], "resultaten", total=True)
    b.tag("{%p else %}")
    b.p("Bij geen enkele inhuur is een evaluatie of een behaald resultaat vastgelegd.")
    b.tag("{%p endif %}")

    b.h1("7. Wat nog open staat", new_page=True)
    b.table([
        Col("School", "r.school", 4.6, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.8, amount=True, total="{{ open_totaal.inhuren }}"),
        Col("Fouten", "r.fouten", 1.8, amount=True, total="{{ open_totaal.fouten }}"),
        Col("Waarschuwingen", "r.waarschuwingen", 2.6, amount=True, total="{{ open_totaal.waarschuwingen }}"),
        Col("Zonder evaluatie", "r.zonder_evaluatie", 2.4, amount=True, total="{{ open_totaal.zonder_evaluatie }}"),
        Col("Gefactureerd na einde", "r.na_einde", 3.8, amount=True, total="{{ open_totaal.na_einde }}"),
    ], "open", total=True)
    b.p("Fouten en waarschuwingen: de bevindingen die nog open staan bij de werkboeken die meetellen (en bij het grootboek); "
        "register.xlsx (tabblad Bevindingen) noemt ze een voor een. Inhuren: een bovenschoolse inhuur telt bij elke school "
        "die meebetaalt.", style="Toelichting")
    b.h2("Inhuren zonder evaluatie (stap 5)")
    b.tag("{%p if zonder_evaluatie %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.6),
        Col("School", "r.school", 4.6),
        Col("Externe partij", "r.leverancier", 5.4),
        Col("Einddatum", "r.einde", 3.4),
    ], "zonder_evaluatie")
    b.tag("{%p else %}")
    b.p("Van elke inhuur is de evaluatie vastgelegd.")
    b.tag("{%p endif %}")

    b.h1("8. Uitgaven na de einddatum ({{ einde }})")
    b.p("{{ na_einde_tekst }}")
    b.tag("{%p if facturen_na_einde %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.2, total="Totaal"),
        Col("Factuur", "r.nummer", 2.6, total=""),
        Col("Datum", "r.datum", 2.8, total=""),
        Col("School", "r.school", 3.4, total=""),
        Col("Excl. btw", "r.excl", 2.5, amount=True, total="{{ facturen_na_einde_totaal.excl }}"),
        Col("Incl. btw", "r.incl", 2.5, amount=True, total="{{ facturen_na_einde_totaal.incl }}"),
    ], "facturen_na_einde", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p if boekingen_na_einde %}")
    b.table([
        Col("Grootboekbestand", "r.bestand", 3.6, total="Totaal"),
        Col("Regel", "r.regel", 1.3, total=""),
        Col("Boekdatum", "r.datum", 2.6, total=""),
        Col("School", "r.school", 3.0, total=""),
        Col("Omschrijving", "r.omschrijving", 4.0, total=""),
        Col("Bedrag", "r.bedrag", 2.5, amount=True, total="{{ boekingen_na_einde_totaal }}"),
    ], "boekingen_na_einde", total=True, font_pt=8)
    b.tag("{%p endif %}")

    b.h1("9. Alle NPO-uitgaven volgens het grootboek")
    b.p("{{ alle_npo_tekst }}")
    b.tag("{%p if alle_npo %}")
    b.table([
        Col("School", "r.school", 4.6, total="Totaal bestuur"),
        Col("Toekenning", "r.toekenning", 3.1, amount=True, total="{{ alle_npo_totaal.toekenning }}"),
        Col("Besteed t/m einddatum", "r.besteed", 3.1, amount=True, total="{{ alle_npo_totaal.besteed }}"),
        Col("Niet besteed op einddatum", "r.niet_besteed", 3.1, amount=True, total="{{ alle_npo_totaal.niet_besteed }}"),
        Col("Geboekt na einddatum", "r.na_einde", 3.1, amount=True, total="{{ alle_npo_totaal.na_einde }}"),
    ], "alle_npo", total=True)
    b.tag("{%p endif %}")

    b.h1("10. Hoe de bedragen zijn bepaald")
    b.bullets([
        "Externe besteding: de facturen in de werkboeken die meetellen (de nieuwste versie van elke inhuur), op factuurdatum, "
        "inclusief btw (scholen kunnen btw niet aftrekken). Een bovenschoolse factuur telt bij elke deelnemende school voor haar aandeel.",
        "De besteding per kalenderjaar is per school gelijk aan de jaarverslagen van die jaren; opgeteld geeft zij het totaal van het programma.",
        "Toekenningen: het bedrag van DUO waar het bestuur dat in bestuur.xlsx heeft ingevuld, anders berekend uit de leerlingaantallen.",
        "Einddatum van het programma: {{ einde }} (bestuur.xlsx, tabblad Instellingen). Uitgaven daarna zijn bevindingen P9.",
        "Elk bedrag en elk aantal uit dit document staat in register.xlsx (tabblad Programma) en in data/programma.parquet.",
    ])
    b.p("Gebruikte aannames: regelset versie {{ regelset }}; {{ versies_tekst }}.", style="Toelichting")
    return b
