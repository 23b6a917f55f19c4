"""The documents for the participation councils: the MR report per school and school year, the GMR overview."""
from __future__ import annotations

from tools.docx_templates.builder import Builder, Col, title_page


def mr() -> Builder:
    b = Builder("{{ bestuur }} · MR-overzicht {{ school }} · schooljaar {{ schooljaar }}")
    title_page(b, "Externe inhuur {{ schooljaar }}", "Overzicht voor de medezeggenschapsraad van {{ school }}", [
        ("School: ", "{{ school }} (BRIN {{ brin }})"),
        ("Schooljaar: ", "{{ periode }}"),
        ("Bestuur: ", "{{ bestuur }}"),
        ("Gemaakt op: ", "{{ gemaakt_op }}"),
        ("Regelset: ", "versie {{ regelset }}"),
    ], trail="de bijlage noemt per inhuur het werkboek, zijn SHA-256-controlegetal en de cellen waar de bedragen staan")

    b.h1("Waarom dit overzicht")
    b.p("Scholen mogen NPO-geld besteden aan externe partijen, zoals tutorbureaus, zzp'ers, adviseurs en aanbieders van "
        "buitenschoolse activiteiten, onder voorwaarden van het ministerie van OCW. De medezeggenschapsraad (MR) heeft "
        "daarbij deze rechten (AVS, Veelgestelde vragen NPO; OCW, Inhuur van externe partijen):")
    b.bullets([
        "Instemmingsrecht op het schoolprogramma: de MR stemt in met het programma voordat een inhuur begint.",
        "Adviesrecht bij het inhuren van een externe partij (artikel 11, lid 1 onder d, Wet medezeggenschap op scholen): "
        "de school vraagt de MR om advies over de inhuur.",
        "Instemming vooraf met bovenschoolse inzet: NPO-middelen van de school mogen alleen bovenschools worden besteed als de "
        "MR vooraf aangeeft welk deel van de schoolmiddelen daarvoor in aanmerking komt en ermee instemt. Over de wijze van "
        "bovenschools inzetten heeft de GMR instemmingsrecht.",
    ])
    b.p("Dit overzicht beschrijft elke inhuur van {{ school }} in schooljaar {{ schooljaar }} in gewone taal: wat er wordt "
        "ingehuurd, bij wie, waarom, wat het kost, hoe de school de vragenlijst van OCW heeft beantwoord en welke punten het "
        "bestuur bij de controle heeft gevonden. Gebruik het om vragen te stellen aan de schoolleiding.")
    b.p("{{ samenvatting }}")
    b.tag("{%p if volledigheid %}")
    b.p("{{ volledigheid }}")
    b.tag("{%p endif %}")

    b.h2("Alle inhuur op een rij")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0, total="Totaal"),
        Col("Externe partij", "r.leverancier", 3.8, total=""),  # 'Onderwijsondersteuning' whole at 9 pt
        Col("Interventie", "r.interventie", 2.9, total=""),
        Col("Contractwaarde excl. btw", "r.contractwaarde", 2.6, amount=True, total="{{ totaal_contract }}"),
        Col("Gefactureerd in {{ schooljaar }} incl. btw", "r.gefactureerd", 2.6, amount=True, total="{{ totaal_gefactureerd }}"),
        Col("MR-advies gevraagd", "r.advies", 2.1, total=""),
    ], "overzicht", total=True)
    b.p("Een bevinding met ernst 'fout' betekent dat de inhuur niet aan een regel voldoet en moet worden hersteld; "
        "'waarschuwing' vraagt om aandacht of een toelichting; 'info' is ter kennisname.", style="Toelichting")

    b.tag("{%p for h in inhuren %}")
    b.h1("{{ h.titel }}", new_page=True)
    b.p("{{ h.samenvatting }}")
    b.h2("Kerngegevens")
    b.facts("h.gegevens")
    b.h2("Medezeggenschap")
    b.facts("h.medezeggenschap")
    b.h2("Vragenlijst van OCW")
    b.p("De elf vragen van de 'Vragenlijst inhuur externe partij' uit de handreiking Inhuur van externe partijen van het "
        "ministerie van OCW, letterlijk overgenomen, met het antwoord en de toelichting van de school.")
    b.table([
        Col("Nr", "r.nr", 0.8),
        Col("Vraag", "r.vraag", 6.4),
        Col("Antwoord", "r.antwoord", 1.8),
        Col("Toelichting en bewijs van de school", "r.toelichting", 8.0),
    ], "h.vragen")
    b.h2("Afgesproken resultaten")
    b.tag("{%p if h.resultaten %}")
    b.table([
        Col("Resultaat", "r.resultaat", 6.2),
        Col("Soort", "r.soort", 2.6),
        Col("Deadline", "r.deadline", 2.8),
        Col("Indicator", "r.indicator", 3.6),
        Col("Behaald", "r.behaald", 1.8),
    ], "h.resultaten")
    b.tag("{%p else %}")
    b.p("De school heeft geen resultaten vastgelegd.")
    b.tag("{%p endif %}")
    b.p("{{ h.evaluatie }}")
    b.h2("Bevindingen van het bestuur")
    b.tag("{%p if h.bevindingen %}")
    b.table([
        Col("Ernst", "r.ernst", 2.2),
        Col("Regel", "r.regel", 3.6),
        Col("Wat er aan de hand is en wat de school moet doen", "r.melding", 11.2),
    ], "h.bevindingen", together=True)
    b.tag("{%p else %}")
    b.p("Het bestuur heeft bij deze inhuur niets gevonden dat aandacht vraagt.")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.h1("Bijlage. Herkomst van de gegevens", new_page=True)
    b.p("Per inhuur het werkboek waaruit de gegevens komen, met zijn SHA-256-controlegetal, en de cellen waarin de "
        "contractwaarde en de factuurbedragen staan. Een accountant kan elk bedrag zo terugvinden.")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Bestand", "r.bestand", 4.0),
        Col("SHA-256", "r.sha256", 5.0),
        Col("Cellen", "r.cellen", 5.0),
    ], "herkomst", font_pt=7)
    return b


# --------------------------------------------------------------------------- GMR


def gmr() -> Builder:
    b = Builder("{{ bestuur }} · GMR-overzicht externe inhuur NPO · schooljaar {{ schooljaar }}")
    title_page(b, "Externe inhuur {{ schooljaar }}", "Overzicht voor de gemeenschappelijke medezeggenschapsraad", [
        ("Bestuur: ", "{{ bestuur }}"),
        ("Schooljaar: ", "{{ periode }}"),
        ("Gemaakt op: ", "{{ gemaakt_op }}"),
        ("Regelset: ", "versie {{ regelset }}"),
    ], trail="de bijlage noemt per inhuur het werkboek, zijn SHA-256-controlegetal en de cellen waar de bedragen staan")

    b.h1("1. Samenvatting")
    b.p("In schooljaar {{ schooljaar }} hebben de scholen van {{ bestuur }} {{ aantal_inhuren }} geregistreerd "
        "({{ aantal_bovenschools }} bovenschools). De facturen met een datum in dit schooljaar bedragen samen "
        "{{ totaal.incl }} inclusief btw ({{ totaal.excl }} exclusief btw). {{ toekenning_tekst }}")
    b.p("De GMR stemt in met bovenschoolse besteding van NPO-middelen. Hoofdstuk 3 laat per bovenschoolse inhuur zien "
        "of die instemming, en het akkoord van de MR van de school, in het werkboek is vastgelegd.")
    b.p("{{ naleving_tekst }}")

    b.h1("2. Besteding per school")
    b.table([
        Col("School", "r.school", 4.2, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.5, amount=True, total="{{ aantal_inhuren_getal }}"),
        Col("Toekenning", "r.toekenning", 2.8, amount=True, total="{{ toekenning_totaal }}"),
        Col("Besteed incl. btw", "r.besteed", 2.8, amount=True, total="{{ totaal.incl }}"),
        Col("Aandeel", "r.aandeel", 1.7, amount=True, total="{{ aandeel_extern }}"),
        Col("Fout", "r.fouten", 1.4, amount=True, total="{{ naleving_totaal.fout }}"),
        Col("Waarsch.", "r.waarschuwingen", 1.6, amount=True, total="{{ naleving_totaal.waarschuwing }}"),
        Col("MR", "r.mr", 1.0, total=""),
    ], "scholen", total=True)
    b.p("Besteed: facturen met een factuurdatum in schooljaar {{ schooljaar }}. Fout en Waarsch.: bevindingen bij de "
        "inhuur van dit schooljaar. MR: bij hoeveel inhuren de MR-instemming op het schoolprogramma is vastgelegd.", style="Toelichting")
    b.tag("{%p if aandeel_noot %}")
    b.p("{{ aandeel_noot }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.tag("{%p if scholen_noot %}")
    b.p("{{ scholen_noot }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.chart("chart_schools")
    b.h2("Per menukaartcategorie")
    b.table([
        Col("Categorie", "r.categorie", 6.6, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.6, amount=True, total=""),
        Col("Excl. btw", "r.excl", 3.0, amount=True, total="{{ totaal.excl }}"),
        Col("Btw", "r.btw", 2.6, amount=True, total="{{ totaal.btw }}"),
        Col("Incl. btw", "r.incl", 3.2, amount=True, total="{{ totaal.incl }}"),
    ], "categorieen", total=True)
    b.chart("chart_categories")

    b.h1("3. Bovenschoolse inhuur", new_page=True)
    b.p("Inhuur op bestuursniveau, voor meerdere scholen. Hiervoor is instemming van de GMR nodig, en vooraf het akkoord "
        "van de MR van elke deelnemende school met het deel van haar middelen (regel P4). De uitgaven tellen bij elke "
        "deelnemende school voor haar aandeel.")
    b.tag("{%p if bovenschools %}")
    b.table([  # widths: a supplier's longest word ("Onderwijsondersteuning") stays whole
        Col("Inhuur", "r.inhuur", 2.6),
        Col("Externe partij", "r.leverancier", 3.8),
        Col("Interventie", "r.interventie", 2.6),
        Col("Waarde excl. btw", "r.waarde", 2.0, amount=True),
        Col("Instemming GMR", "r.gmr", 2.0),
        Col("Deelnemers: aandeel en MR-akkoord", "r.deelnemers", 4.0),
    ], "bovenschools")
    b.tag("{%p else %}")
    b.p("In schooljaar {{ schooljaar }} is geen bovenschoolse inhuur geregistreerd.")
    b.tag("{%p endif %}")

    b.h1("4. Alle inhuur")
    b.table([  # widths: a supplier's longest word ("Onderwijsondersteuning") stays whole
        Col("Inhuur", "r.inhuur", 2.9),
        Col("Externe partij", "r.leverancier", 3.9),
        Col("Interventie", "r.interventie", 3.2),
        Col("Niveau", "r.niveau", 2.2),
        Col("Waarde excl. btw", "r.waarde", 2.3, amount=True),
        Col("MR-advies gevraagd", "r.advies", 2.5),
    ], "inhuren")

    b.h1("5. Naleving van de regels")
    b.tag("{%p if naleving %}")
    b.table([
        Col("Regel", "r.regel", 1.3, total=""),
        Col("Omschrijving", "r.titel", 9.1, total="Totaal"),
        Col("Fout", "r.fout", 2.0, amount=True, total="{{ naleving_totaal.fout }}"),
        Col("Waarschuwing", "r.waarschuwing", 2.6, amount=True, total="{{ naleving_totaal.waarschuwing }}"),
        Col("Info", "r.info", 2.0, amount=True, total="{{ naleving_totaal.info }}"),
    ], "naleving", total=True)
    b.tag("{%p else %}")
    b.p("Er zijn geen bevindingen bij de inhuur van dit schooljaar.")
    b.tag("{%p endif %}")
    b.p("Gebruikte aannames: regelset versie {{ regelset }}; {{ versies_tekst }}.", style="Toelichting")
    b.h1("Bijlage. Herkomst van de gegevens", new_page=True)
    b.p("Per inhuur het werkboek waaruit de gegevens komen, met zijn SHA-256-controlegetal, en de cellen waarin de "
        "contractwaarde en de factuurbedragen staan. Een accountant kan elk bedrag zo terugvinden.")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Bestand", "r.bestand", 4.0),
        Col("SHA-256", "r.sha256", 5.0),
        Col("Cellen", "r.cellen", 5.0),
    ], "herkomst", font_pt=7)
    return b
