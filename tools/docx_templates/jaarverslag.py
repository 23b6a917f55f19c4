"""The jaarverslag (NPO part of the annual report), its rechtmatigheid section and its appendix document."""
from __future__ import annotations

from tools.docx_templates.builder import _allocation_table, Builder, CATS, Col, JAARVERSLAG_TITLE_LINES, title_page


def jaarverslag() -> Builder:
    b = Builder("{{ bestuur }} · Jaarverslag {{ jaar }} · externe inhuur NPO")
    title_page(b, "Jaarverslag {{ jaar }}", "Externe inhuur met NPO-middelen", JAARVERSLAG_TITLE_LINES)

    b.h1("1. Samenvatting")
    b.p("In {{ jaar }} heeft {{ bestuur }} in totaal {{ totaal.incl }} (inclusief btw) uitgegeven aan externe inhuur "
        "met NPO-middelen; exclusief btw is dat {{ totaal.excl }} en de btw bedraagt {{ totaal.btw }}. Het gaat om "
        "{{ aantal_facturen }} met een factuurdatum in {{ jaar }}, van {{ aantal_inhuren_gefactureerd }} op {{ aantal_scholen_gefactureerd }}.")
    b.p("{{ toekenning_uitleg }}")
    b.bullets([
        "{{ pnil_regel }}",
        "{{ extern_regel }}",
        "Cumulatief tot en met {{ cumulatief_totaal.tot }}: {{ cumulatief_totaal.extern }} extern besteed van {{ cumulatief_totaal.toekenning }} aan toekenningen ({{ cumulatief_totaal.aandeel_extern }}; PNIL {{ cumulatief_totaal.aandeel_pnil }}).",
        "Inhuur die in {{ jaar }} liep of is gefactureerd: {{ aantal_inhuren }}, waarvan {{ aantal_bovenschools }} bovenschools.",
        "Bevindingen bij deze inhuur: {{ naleving_tekst }}.",
        "Inhuur op of boven de Europese aanbestedingsdrempel: {{ aantal_eu }}.",
    ])
    b.p("Alle bedragen zijn gebaseerd op de factuurdatum: een factuur telt mee in het kalenderjaar waarin zij is "
        "gedateerd. De bijlagen staan in een eigen document, {{ bijlagen_bestand }}, in dezelfde map: bijlage A "
        "verantwoordt per invoerbestand hoe het totaal van {{ totaal.incl }} is opgebouwd, bijlage B geeft de "
        "NPO-toekenningen per school en bijlage C de resultaten per inhuur.", style="Toelichting")

    b.orientation(landscape=True)
    b.h1("2. Besteding per school en menukaartcategorie")
    b.p("De tabel toont per school (BRIN) de uitgaven in {{ jaar }} per categorie van de NPO-menukaart, inclusief btw. "
        "De categorie volgt uit de interventie die de school in het werkboek heeft gekozen. Een streepje betekent: geen uitgaven.")
    b.table([Col("School", "r.school", 5.4, total="Totaal bestuur")]
            + [Col(c, f"r.{c}", 2.7, amount=True, total=f"{{{{ totaal_categorie.{c} }}}}") for c in CATS]
            + [Col("Totaal", "r.totaal", 3.2, amount=True, total="{{ totaal_categorie.totaal }}")],
            "scholen_categorie", total=True, font_pt=8)
    b.tag("{%p if zonder_categorie %}")
    b.p("Niet in te delen in een categorie (de interventie staat niet op de menukaart; zie regel P1): "
        "{{ zonder_categorie_tekst }}. Dit bedrag telt wel mee in de kolom Totaal.", style="Toelichting")
    b.tag("{%p endif %}")
    b.p("Categorieën: {{ categorie_legenda }}.", style="Toelichting")
    b.chart("chart_categories")
    b.orientation(landscape=False)

    b.h2("Uitgaven per school, exclusief en inclusief btw")
    b.table([
        Col("School", "r.school", 5.0, total="Totaal bestuur"),
        Col("Facturen", "r.facturen", 1.8, amount=True, total="{{ totaal.facturen }}"),
        Col("Excl. btw", "r.excl", 3.4, amount=True, total="{{ totaal.excl }}"),
        Col("Btw", "r.btw", 3.0, amount=True, total="{{ totaal.btw }}"),
        Col("Incl. btw", "r.incl", 3.4, amount=True, total="{{ totaal.incl }}"),
    ], "scholen_kosten", total=True)
    b.tag("{%p if kosten_noot %}")
    b.p("{{ kosten_noot }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.chart("chart_schools")

    b.h2("Uitgaven per menukaartcategorie")
    b.table([
        Col("Categorie", "r.categorie", 6.6, total="Totaal bestuur"),
        Col("Inhuren", "r.inhuren", 1.6, amount=True, total=""),
        Col("Excl. btw", "r.excl", 3.0, amount=True, total="{{ totaal.excl }}"),
        Col("Btw", "r.btw", 2.6, amount=True, total="{{ totaal.btw }}"),
        Col("Incl. btw", "r.incl", 3.2, amount=True, total="{{ totaal.incl }}"),
    ], "categorieen", total=True)

    b.h1("3. NPO-middelen en personeel niet in loondienst", new_page=True)
    b.p("Per school de NPO-toekenning voor {{ jaar }} ({{ toekenning_grondslag }}), de uitgaven aan externe inhuur en het deel daarvan dat personeel niet in "
        "loondienst (PNIL) betreft. PNIL zijn betaalde mensen die regulier schoolwerk doen zonder op de loonlijst te staan "
        "(uitzendkrachten, detachering, payroll, zzp'ers, personeel van andere besturen); btw en bureaukosten tellen mee. "
        "De school geeft in het werkboek aan of een inhuur PNIL is.")
    _allocation_table(b, "npo", "Toekenning {{ jaar }}", "toekenning_totaal", "totaal.incl", "aandeel_extern",
                      "pnil.bedrag", "pnil.aandeel")
    b.p("{{ aandeel_noot }}", style="Toelichting")
    b.p("{{ toekenning_bron }}", style="Toelichting")
    b.h2("Cumulatief tot en met {{ cumulatief_totaal.tot }}")
    b.p("NPO-middelen mogen na het schooljaar van toekenning worden besteed (middelen 2022-2023 tot en met 31 juli 2025; "
        "nponderwijs.nl), en na 2022-2023 komen er geen nieuwe middelen bij. Daarom per school alle externe uitgaven tot en "
        "met {{ cumulatief_totaal.tot }} tegenover alle toekenningen tot die datum (een schooljaar naar rato van de maanden "
        "die voorbij zijn).")
    _allocation_table(b, "cumulatief", "Toekenning tot dan", *(f"cumulatief_totaal.{k}" for k in
                      ("toekenning", "extern", "aandeel_extern", "pnil", "aandeel_pnil")))

    b.h1("4. Medezeggenschap")
    b.p("De MR van elke school moet instemmen met het schoolprogramma voordat een inhuur begint, en heeft adviesrecht "
        "bij het inhuren van externe partijen. Voor bovenschoolse inhuur moet ook de GMR instemmen en moet de MR van de "
        "school akkoord gaan met het deel van haar middelen dat bovenschools wordt besteed.")
    b.table([
        Col("School", "r.school", 4.0),
        Col("Inhuren", "r.inhuren", 1.6, amount=True),
        Col("Instemming MR schoolprogramma", "r.instemming", 5.7),
        Col("MR-advies gevraagd", "r.advies", 5.7),
    ], "medezeggenschap")
    b.p("{{ medezeggenschap_gedeeld }}", style="Toelichting")
    b.h2("Bovenschoolse inhuur en de GMR")
    b.tag("{%p if bovenschools %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Externe partij", "r.leverancier", 3.8),
        Col("Instemming GMR", "r.gmr", 2.4),
        Col("Deelnemende scholen: aandeel en MR-akkoord", "r.deelnemers", 5.2),
        Col("Incl. btw {{ jaar }}", "r.bedrag", 2.6, amount=True),
    ], "bovenschools")
    b.tag("{%p else %}")
    b.p("In {{ jaar }} was er geen bovenschoolse inhuur.")
    b.tag("{%p endif %}")

    b.h1("5. Gekozen interventies", new_page=True)
    b.p("Welke interventies van de NPO-menukaart de scholen met externe inhuur hebben ingevuld, met de uitgaven in {{ jaar }} (inclusief btw).")
    b.table([
        Col("Interventie", "r.interventie", 8.4),
        Col("Inhuren", "r.inhuren", 1.7, amount=True),
        Col("Scholen", "r.scholen", 1.7, amount=True),
        Col("Incl. btw", "r.bedrag", 5.2, amount=True),
    ], "interventies")
    b.h2("Soort inhuur")
    b.table([
        Col("Soort inhuur (handreiking OCW)", "r.soort", 12.0),
        Col("Inhuren", "r.inhuren", 2.0, amount=True),
        Col("Incl. btw", "r.bedrag", 3.0, amount=True),
    ], "soorten")

    b.h1("6. Eerste resultaten")
    b.p("Wat de evaluaties tot nu toe laten zien, per categorie van de NPO-menukaart: hoeveel inhuren een evaluatie of "
        "een behaald resultaat hebben vastgelegd, hoeveel resultaten daarbij zijn afgesproken en hoeveel de school als "
        "behaald of deels behaald heeft gemarkeerd. Bijlage C in {{ bijlagen_bestand }} geeft per inhuur de evaluatie en "
        "de belangrijkste uitkomsten.")
    b.tag("{%p if resultaten_overzicht %}")
    b.table([
        Col("Categorie", "r.categorie", 7.0, total="Totaal"),
        Col("Inhuren met evaluatie", "r.inhuren", 2.6, amount=True, total="{{ resultaten_totaal.inhuren }}"),
        Col("Afgesproken resultaten", "r.afgesproken", 2.6, amount=True, total="{{ resultaten_totaal.afgesproken }}"),
        Col("Behaald", "r.behaald", 2.2, amount=True, total="{{ resultaten_totaal.behaald }}"),
        Col("Deels behaald", "r.deels", 2.6, amount=True, total="{{ resultaten_totaal.deels }}"),
    ], "resultaten_overzicht", total=True)
    b.tag("{%p endif %}")
    b.p("{{ zonder_evaluatie }}")

    b.h1("7. Naleving van de regels", new_page=True)
    b.p("Het aantal bevindingen per regel bij de inhuur van {{ jaar }}. Een fout moet worden hersteld, een waarschuwing "
        "vraagt aandacht of een toelichting, info is ter kennisname. Elke school heeft haar werkboek teruggekregen met de "
        "bevindingen gemarkeerd in de cel waar het om gaat.")
    b.tag("{%p if naleving %}")
    b.table([
        Col("Regel", "r.regel", 1.3, total=""),
        Col("Omschrijving", "r.titel", 9.1, total="Totaal"),
        Col("Fout", "r.fout", 2.0, amount=True, total="{{ naleving_totaal.fout }}"),
        Col("Waarschuwing", "r.waarschuwing", 2.6, amount=True, total="{{ naleving_totaal.waarschuwing }}"),
        Col("Info", "r.info", 2.0, amount=True, total="{{ naleving_totaal.info }}"),
    ], "naleving", total=True)
    b.tag("{%p else %}")
    b.p("Er zijn geen bevindingen bij de inhuur van {{ jaar }}.")
    b.tag("{%p endif %}")

    b.h2("Inhuur op of boven de Europese aanbestedingsdrempel")
    b.p("De opdrachtwaarde is de grootste van de contractwaarde en het totaal gefactureerde bedrag, exclusief btw, over de "
        "hele looptijd. Bij een contract voor onbepaalde tijd of met een looptijd van meer dan 48 maanden telt ook het "
        "maandbedrag × 48 (Aanbestedingswet 2012 art. 2.17, onder d en e). De drempel hangt af van de datum waarop de inkoop begon "
        "(eerste offerte, anders het contract).")
    b.tag("{%p if eu %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Externe partij", "r.leverancier", 3.8),
        Col("Waarde", "r.waarde", 2.7, amount=True),
        Col("Drempel", "r.drempel", 2.4, amount=True),
        Col("Procedure", "r.procedure", 2.4),
        Col("Oordeel", "r.oordeel", 2.7),
    ], "eu")
    b.tag("{%p else %}")
    b.p("Geen inhuur van {{ jaar }} kwam op of boven de Europese aanbestedingsdrempel.")
    b.tag("{%p endif %}")
    b.tag("{%p if opgeknipt %}")
    b.p("Mogelijk opgeknipte opdrachten (regel A2): dezelfde partij kreeg binnen één venster opdrachten die samen de drempel halen.", keep=True)
    b.table([Col("Inhuur", "r.inhuur", 3.4), Col("Bevinding", "r.melding", 13.6)], "opgeknipt")
    b.tag("{%p endif %}")

    rechtmatigheid(b)

    b.h2("Volledigheid")
    b.tag("{%p if volledigheid_tekst %}")
    b.p("Het grootboek van het bestuur laat zien wat er is betaald. Per school (kostenplaats) de NPO-uitgaven aan externe "
        "partijen met een boekdatum in {{ jaar }}, exclusief btw, en het deel dat in een werkboek staat. Het verschil is "
        "uitgesplitst naar de reden. Elke factuur staat met haar status op het tabblad Aansluiting van register.xlsx.")
    b.p("{{ volledigheid_tekst }}")
    b.tag("{%p if volledigheid %}")
    b.table([
        Col("School", "r.school", 4.2, total="Totaal"),
        Col("In grootboek", "r.grootboek", 2.6, amount=True, total="{{ volledigheid_totaal.grootboek }}"),
        Col("In werkboeken", "r.verantwoord", 2.6, amount=True, total="{{ volledigheid_totaal.verantwoord }}"),
        Col("Geen werkboek (L1)", "r.geen_werkboek", 2.6, amount=True, total="{{ volledigheid_totaal.geen_werkboek }}"),
        Col("Bedrag wijkt af (L3)", "r.bedrag_wijkt_af", 2.6, amount=True, total="{{ volledigheid_totaal.bedrag_wijkt_af }}"),
        Col("Waarvan andere school (L4)", "r.andere_school", 2.4, amount=True, total="{{ volledigheid_totaal.andere_school }}"),
    ], "volledigheid", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p("Er is geen grootboek ingelezen (map grootboek in de invoermap): de volledigheid van de werkboeken is niet gecontroleerd.")
    b.tag("{%p endif %}")

    b.h1("8. Gebruikte aannames", new_page=True)
    b.p("Dit verslag gebruikt de volgende instellingen en referentiegegevens. 'Standaard' betekent dat het bestuur de "
        "waarde niet heeft aangepast in bestuur.xlsx.")
    b.bullets([
        "NPO-toekenning per kalenderjaar: 7/12 van het schooljaar dat in dat jaar eindigt plus 5/12 van het schooljaar dat in dat jaar begint.",
        "Kosten horen bij het kalenderjaar van hun factuurdatum; uitgaven zijn inclusief btw, tenzij anders vermeld.",
        "Regelset versie {{ regelset }}; {{ versies_tekst }}.",
    ])
    b.table([
        Col("Instelling", "r.label", 6.0),
        Col("Waarde", "r.value", 3.2),
        Col("Herkomst", "r.default", 2.2),
        Col("Bron", "r.source", 5.6),
    ], "aannames")
    b.h2("Europese aanbestedingsdrempels")
    b.table([
        Col("Periode", "r.periode", 6.0),
        Col("Diensten", "r.diensten", 3.0, amount=True),
        Col("Sociale diensten", "r.sociaal", 3.0, amount=True),
        Col("Bron", "r.bron", 5.0),
    ], "drempels")

    return b


def rechtmatigheid(b: Builder) -> None:
    """Section Naleving of the jaarverslag: the rechtmatigheid figures (Onderwijsaccountantsprotocol OCW:
    European procurement weighs in the opinion as fouten and onzekerheden; national procurement goes to the
    management letter)."""
    b.h2("Rechtmatigheid")
    b.p("{{ rechtmatigheid_tekst }}")
    b.p("Fouten: de uitgaven in {{ jaar }} (incl. btw) onder een opdracht boven de Europese drempel zonder Europese "
        "aanbesteding (regel A1) of onder een opgeknipte opdracht (regel A2). Onzekerheden: de uitgaven onder een opdracht "
        "waarvan het werkboek niet genoeg zegt om de procedure te beoordelen. Elke factuur staat in bijlage A; register.xlsx "
        "heeft het tabblad Rechtmatigheid.", style="Toelichting")
    b.tag("{%p if rechtmatigheid_fouten %}")
    b.p("Fouten", bold=True, keep=True)
    b.table([
        Col("Inhuur", "r.inhuur", 3.2, total="Totaal fouten"),
        Col("Regel", "r.regels", 1.3, total=""),
        Col("Reden", "r.reden", 4.2, total=""),
        Col("Facturen", "r.facturen", 3.7, total=""),
        Col("Bedrag incl. btw", "r.bedrag", 2.6, amount=True, total="{{ rechtmatigheid_totaal.fout }}"),
        Col("Aandeel", "r.aandeel", 2.0, amount=True, total="{{ rechtmatigheid_totaal.fout_aandeel }}"),
    ], "rechtmatigheid_fouten", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p if rechtmatigheid_onzeker %}")
    b.p("Onzekerheden", bold=True, keep=True)
    b.table([
        Col("Inhuur", "r.inhuur", 3.2, total="Totaal onzekerheden"),
        Col("Wat ontbreekt", "r.reden", 5.5, total=""),
        Col("Facturen", "r.facturen", 3.7, total=""),
        Col("Bedrag incl. btw", "r.bedrag", 2.6, amount=True, total="{{ rechtmatigheid_totaal.onzeker }}"),
        Col("Aandeel", "r.aandeel", 2.0, amount=True, total="{{ rechtmatigheid_totaal.onzeker_aandeel }}"),
    ], "rechtmatigheid_onzeker", total=True)
    b.tag("{%p endif %}")
    b.tag("{%p if nationaal %}")
    b.p("Nationale aanbesteding en inkoopbeleid (regel A3): bevindingen voor de managementletter, geen fout in de zin van "
        "de rechtmatigheid.", keep=True)
    b.table([Col("Inhuur", "r.inhuur", 3.2), Col("Ernst", "r.ernst", 2.2), Col("Bevinding", "r.melding", 11.6)], "nationaal")
    b.tag("{%p endif %}")


def jaarverslag_bijlagen() -> Builder:
    b = Builder("{{ bestuur }} · Bijlagen bij het jaarverslag {{ jaar }} · externe inhuur NPO")
    title_page(b, "Bijlagen bij het jaarverslag {{ jaar }}", "Externe inhuur met NPO-middelen: de verantwoording",
               JAARVERSLAG_TITLE_LINES, trail="deze bijlagen horen bij het jaarverslag {{ jaar }} "
                                              "(jaarverslag-{{ jaar }}.docx) en laten zien waar de cijfers vandaan komen")
    b.orientation(landscape=True)
    b.h1("Bijlage A. Verantwoording per factuur en per invoerbestand")
    b.h2("A.1 Facturen")
    b.p("Elke factuur met een factuurdatum in {{ jaar }} die meetelt in dit verslag, met de plaats waar zij staat: bestand, "
        "tabblad en cel van het bedrag exclusief btw, en het SHA-256-controlegetal van het bestand. Een bovenschoolse factuur "
        "staat eenmaal per school die meebetaalt, met het aandeel van die school. De som van de kolom Incl. btw is "
        "{{ totaal.incl }}: het totaal van hoofdstuk 1 van het jaarverslag. register.xlsx (tabblad Facturen) bevat dezelfde regels.")
    b.table([
        Col("Factuur", "r.nummer", 2.2, total="Totaal ({{ facturen_totaal.aantal }})"),
        Col("Datum", "r.datum", 2.2, total=""),
        Col("Excl. btw", "r.excl", 2.2, amount=True, total="{{ facturen_totaal.excl }}"),
        Col("Btw", "r.btw", 1.9, amount=True, total="{{ facturen_totaal.btw }}"),
        Col("Incl. btw", "r.incl", 2.2, amount=True, total="{{ facturen_totaal.incl }}"),
        Col("School", "r.school", 1.2, total=""),
        Col("Aandeel", "r.aandeel", 1.4, total=""),
        Col("Bestand", "r.bestand", 4.4, total=""),
        Col("Tabblad", "r.tabblad", 1.6, total=""),
        Col("Cel", "r.cel", 0.9, total=""),
        Col("SHA-256", "r.sha256", 5.5, total=""),
    ], "facturen", total=True, font_pt=6.5)
    b.h2("A.2 Bestanden van het bestuur")
    b.p("bestuur.xlsx is de bron van de scholen, de instellingen en de toekenningen; het grootboek is de bron van de "
        "aansluiting (bijlage D).")
    b.table([Col("Bestand", "r.bestand", 7.0), Col("Rol", "r.rol", 9.0), Col("SHA-256", "r.sha256", 9.7)], "bronbestanden", font_pt=7)
    b.h2("A.3 Invoerbestanden van {{ jaar }}")
    b.p("De invoerbestanden achter de cijfers van {{ jaar }}, met hun SHA-256-controlegetal, wat ermee is gebeurd en het "
        "gefactureerde bedrag met een factuurdatum in {{ jaar }} dat meetelt in dit verslag. Hier staat elk gelezen werkboek "
        "waarvan de inhuur in {{ jaar }} liep of dat een factuur in {{ jaar }} heeft, elke vervangen versie daarvan en elk "
        "bestand dat niet kon worden meegeteld, met de reden. Alleen gelezen werkboeken tellen mee; een vervangen versie "
        "telt niet mee omdat een nieuwere versie van dezelfde inhuur is ingestuurd. Werkboeken van andere jaren staan in "
        "het verslag van hun eigen jaar; alle bestanden van de invoermap staan in register.xlsx (tabblad Bestanden) en in "
        "manifest.json. De som van de kolom Incl. btw is {{ totaal.incl }}: het totaal van hoofdstuk 1 van het jaarverslag.")
    b.p("{{ bestanden_tekst }}", style="Toelichting")
    b.table([
        Col("Bestand", "r.file", 6.0, total="Totaal ({{ bestanden_totaal.aantal }})"),
        Col("SHA-256", "r.sha256", 6.0, total=""),
        Col("Status", "r.status", 2.0, total=""),
        Col("Toelichting", "r.reden", 6.1, total=""),
        Col("Excl. btw", "r.excl", 2.8, amount=True, total="{{ bestanden_totaal.excl }}"),
        Col("Incl. btw", "r.incl", 2.8, amount=True, total="{{ bestanden_totaal.incl }}"),
    ], "bestanden", total=True, font_pt=7)
    b.tag("{%p if zonder_datum %}")
    b.p("{{ zonder_datum }}", style="Toelichting")
    b.tag("{%p endif %}")
    b.h2("A.4 Bestanden die niet meetellen")
    b.tag("{%p if niet_meegeteld %}")
    b.p("Elk bestand in de invoermap dat niet meetelt in enig verslag, met de reden.")
    b.table([Col("Bestand", "r.bestand", 6.5), Col("Status", "r.status", 2.0), Col("Reden", "r.reden", 9.0),
             Col("SHA-256", "r.sha256", 8.2)], "niet_meegeteld", font_pt=7)
    b.tag("{%p else %}")
    b.p("Alle bestanden in de invoermap tellen mee.")
    b.tag("{%p endif %}")

    b.orientation(landscape=False)
    b.h1("Bijlage B. NPO-toekenningen")
    b.p("De toekenningen per school en schooljaar waaruit de toekenning voor {{ jaar }} is berekend. De grondslag zegt of "
        "het bedrag van DUO komt (Overzicht financiële beschikkingen, ingevuld in bestuur.xlsx) of is berekend uit de "
        "leerlingaantallen; een bedrag van DUO gaat altijd voor.")
    b.table([
        Col("School", "r.school", 5.0),
        Col("Schooljaar", "r.schooljaar", 2.4),
        Col("Toekenning", "r.toekenning", 3.2, amount=True),
        Col("Deel in {{ jaar }}", "r.deel", 2.2),
        Col("Grondslag", "r.grondslag", 4.2),
    ], "toekenningen")

    b.h1("Bijlage C. Resultaten per inhuur", new_page=True)
    b.p("Per inhuur van {{ jaar }} met een evaluatie of een behaald resultaat: 'Behaald' telt de resultaten die de "
        "school als behaald heeft gemarkeerd, van het aantal afgesproken resultaten. Tekst van scholen is ontdaan van "
        "mogelijke leerlinggegevens. Hoofdstuk 6 van het jaarverslag telt deze rijen per menukaartcategorie.")
    b.tag("{%p if resultaten %}")
    b.table([
        Col("Inhuur", "r.inhuur", 3.0),
        Col("Interventie", "r.interventie", 3.4),
        Col("Behaald", "r.behaald", 1.9),
        Col("Evaluatie", "r.evaluatie", 2.7),
        Col("Belangrijkste uitkomsten", "r.samenvatting", 6.0),
    ], "resultaten")
    b.tag("{%p endif %}")
    b.p("{{ zonder_evaluatie }}")

    b.h1("Bijlage D. Brug naar het grootboek", new_page=True)
    b.p("{{ brug_tekst }}")
    b.table([
        Col("Stap", "r.stap", 6.5),
        Col("Bedrag", "r.bedrag", 2.6, amount=True),
        Col("Facturen", "r.facturen", 7.9),
    ], "brug", font_pt=7.5)
    b.p("Het jaarverslag telt facturen op hun factuurdatum, inclusief btw; het grootboek telt boekingen op hun boekdatum. "
        "Register.xlsx heeft de brug per factuur op het tabblad Brug en elke factuur met haar status op het tabblad Aansluiting.",
        style="Toelichting")
    return b


# --------------------------------------------------------------------------- MR
