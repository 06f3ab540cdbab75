"""Fixed facts of the demo world: the schools, names, towns, family kinds, medical and Cito catalogues."""

from dataclasses import dataclass

from ouderportaal.results.models import Assessment

SEED = 20260801
BOARD_NAME = "Stichting Kindwijs (demo)"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


DEMO_LOGINS = (
    DemoLogin(
        "ouder", "ouder-demo", "ouder: moeder en hoofdverzorger van Lotte (groep 4/5) en Daan (groep 7), De Mijlpaal"
    ),
    DemoLogin("ouder2", "ouder-demo", "ouder: vader van Lotte en Daan, gescheiden, eigen (geheim) adres"),
    DemoLogin("ouder3", "ouder-demo", "ouder: vader van Emma en Sem, De Regenboog"),
    DemoLogin("administratie", "beheer-demo", "administratie De Mijlpaal (/beheer/)"),
    DemoLogin("directeur", "beheer-demo", "directeur De Mijlpaal: beslist over verlof (/beheer/verlof/)"),
    DemoLogin("leerkracht", "beheer-demo", "leerkracht groep 7 De Mijlpaal: ziet alleen de eigen groep (/beheer/)"),
    DemoLogin("admin", "admin-demo", "beheerder: Django-admin (/admin/)"),
)
DEMO_USERNAMES = tuple(login.username for login in DEMO_LOGINS)
# Staff and operators need a second step (two-factor). The demo's logins share one authenticator key, published here
# so that anyone trying the demo can add it to an app: RFC 6238's test key, base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


class DemoDataError(Exception):
    """The database is not in a state the demo may be built in."""


# ---------------------------------------------------------------------------------------------------------------
# Fixed facts of the demo world
# ---------------------------------------------------------------------------------------------------------------

PREFIXES = ("van den", "van der", "van de", "van", "de", "ter", "'t")


def _names(text):
    """'a, b, c' → ['a', 'b', 'c']: long lists of names stay readable (and the formatter leaves them alone)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _surnames(text):
    """'de Jong, Jansen' → [('de', 'Jong'), ('', 'Jansen')]: the voorvoegsel apart, as the models keep it."""
    result = []
    for name in _names(text):
        prefix = next((p for p in PREFIXES if name.startswith(p + " ")), "")
        result.append((prefix, name.removeprefix(prefix).strip()))
    return result


# Town: (postcode ranges, area code). Postcodes are real number ranges of the town; the letters are made up.
TOWNS = {
    "Amersfoort": ([(3811, 3829)], "033"),
    "Hoogland": ([(3828, 3828)], "033"),
    "Leusden": ([(3831, 3833)], "033"),
    "Achterveld": ([(3791, 3791)], "0342"),
}
STREETS = {
    "Amersfoort": _names(
        "Schothorsterlaan, Hogeweg, Leusderweg, Kapelweg, Vondellaan, Bisschopsweg, Van Randwijcklaan, "
        "Heiligenbergerweg, Sterrenburg, Regulierenweg, Zonnewijzerlaan, Kruiskamplaan, Noordewierweg, Valleikanaal, "
        "Beekweg, Molenstraat, Pyramidelaan, Ringweg Randenbroek, Merelstraat, Lijsterbes"
    ),
    "Hoogland": _names("Hamseweg, Zevenhuizerstraat, Engweg, Slaperdijkweg, Duivenkamp, Weverstede"),
    "Leusden": _names(
        "Hamersveldseweg, Groenhoven, Burgemeester Buiningpark, Dodeweg, Arnhemseweg, Lisdodde, Gravenhof, "
        "Kastanjelaan, Lindenhoutseweg, De Biezen, Zwanebloem, Rozenhof, Zuidhoek"
    ),
    "Achterveld": _names("Dorpsstraat, Barneveldseweg, Rijksstraatweg, Sint Josephlaan"),
}
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # F, I, O, Q, U and Y are not used in Dutch postcodes

SCHOOL_SPECS = [
    dict(
        name="De Mijlpaal",
        brin="27MP",
        street="Schothorsterlaan 12",
        postcode="3822 NA",
        city="Amersfoort",
        phone="033 456 1200",
        email="info@demijlpaal.example",
        admin_email="administratie@demijlpaal.example",
        website="https://www.demijlpaal.example",
        director="Marieke van Dalen",
        domain="demijlpaal.example",
        region="midden",  # school holidays: Amersfoort is in region Midden
        towns=[("Amersfoort", 85), ("Hoogland", 10), ("Leusden", 5)],
        kleuter_names=["Groep 1/2A", "Groep 1/2B", "Groep 1/2C"],
        groups=[
            ("Groep 1/2A", {1: 12, 2: 13}),
            ("Groep 1/2B", {1: 12, 2: 12}),
            ("Groep 3", {3: 26}),
            ("Groep 4", {4: 21}),
            ("Groep 4/5", {4: 7, 5: 17}),
            ("Groep 6", {6: 25}),
            ("Groep 7", {7: 27}),
            ("Groep 8", {8: 24}),
        ],
        leavers={9: 26, 10: 23},
    ),
    dict(
        name="De Regenboog",
        brin="27RB",
        street="Hamersveldseweg 85",
        postcode="3833 GR",
        city="Leusden",
        phone="033 494 3300",
        email="info@deregenboog.example",
        admin_email="administratie@deregenboog.example",
        website="https://www.deregenboog.example",
        director="Hans Kuipers",
        domain="deregenboog.example",
        region="midden",
        towns=[("Leusden", 80), ("Amersfoort", 15), ("Achterveld", 5)],
        kleuter_names=["Groep 1/2 Egels", "Groep 1/2 Vossen", "Groep 1/2 Uilen"],
        groups=[
            ("Groep 1/2 Egels", {1: 12, 2: 13}),
            ("Groep 1/2 Vossen", {1: 13, 2: 12}),
            ("Groep 3", {3: 25}),
            ("Groep 4", {4: 26}),
            ("Groep 5", {5: 24}),
            ("Groep 6", {6: 14}),
            ("Groep 6/7", {6: 12, 7: 12}),
            ("Groep 7", {7: 14}),
            ("Groep 8", {8: 25}),
        ],
        leavers={9: 24, 10: 25},
    ),
]

DUTCH_SURNAMES = _surnames(
    "de Jong, Jansen, van den Berg, van Dijk, Bakker, Janssen, Visser, Meijer, de Boer, Mulder, de Groot, Bos, Peters, "
    "Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, "
    "Jacobs, de Haan, Vermeulen, van den Heuvel, van der Veen, van den Broek, de Bruijn, van der Heijden, Schouten, "
    "van Beek, Willems, van Vliet, van de Ven, Hoekstra, Maas, Verhoeven, van Dam, van der Wal, Prins, Blom, Huisman, "
    "Kuiper, van Wijk, Postma, Kramer, van den Brink, Scholten, Vink, Timmermans, Groen, Gerritsen, Jonker, van Loon, "
    "Boersma, Evers, Wouters, Kroon, 't Hart, IJzerman, van Os, ter Horst, Veldhuis, van Ginkel, Hofman, Schipper, "
    "Sanders, van Rijn, Verbeek, Lammers, van Essen, Pol, Hermans"
)
ADULT_FEMALE = _names(
    "Anouk, Marieke, Linda, Iris, Femke, Esther, Kim, Lisa, Manon, Sandra, Mirjam, Laura, Judith, Inge, Nicole, "
    "Saskia, Wendy, Marloes, Ilse, Charlotte, Annemiek, Petra, Renske, Maaike, Lotte, Suzanne, Jolien, Eline, Karlijn, "
    "Mariska, Sabine, Danielle, Noor, Hanneke"
)
ADULT_MALE = _names(
    "Mark, Dennis, Jeroen, Bas, Tim, Martijn, Sander, Niels, Thomas, Joost, Ruben, Wouter, Rob, Erik, Michiel, Jasper, "
    "Pieter, Arjen, Vincent, Stefan, Maarten, Remco, Bart, Robin, Koen, Paul, Rik, Frank, Gijs, Hidde, Jelle, Daan, "
    "Wessel, Sjoerd"
)
EXTRA_FIRST_NAMES = {
    "2": _names("Maria, Johanna, Elisabeth, Anna, Sophie, Catharina, Wilhelmina, Louise, Geertruida"),
    "1": _names("Johannes, Pieter, Willem, Hendrik, Cornelis, Jan, Jacob, Adriaan, Gerardus"),
}
# Formal first name → the roepnaam the child is known by.
FORMAL_NAMES = {
    "2": [("Elisabeth", "Lisa"), ("Josephine", "Fien"), ("Catharina", "Kaat"), ("Johanna", "Jet"), ("Maria", "Mia")],
    "1": [
        ("Maximiliaan", "Max"),
        ("Sebastiaan", "Bas"),
        ("Abraham", "Bram"),
        ("Theodoor", "Teun"),
        ("Jacobus", "Koos"),
    ],
}

# Family backgrounds: weight, surnames, first names of children and adults (absent: Faker's and the Dutch lists),
# nationality, and birth places for children born abroad (absent: born here).
HERITAGES = {
    "nl": dict(weight=82, surnames=DUTCH_SURNAMES, nationality="Nederlandse"),
    "ma": dict(
        weight=5,
        surnames=_surnames("El Amrani, Benali, El Idrissi, Bouzid, Ait Taleb"),
        girls=_names("Amira, Yasmina, Nour, Hiba, Aya, Lina, Sara, Dounia"),
        boys=_names("Adam, Ayoub, Ilyas, Bilal, Amin, Zakaria, Anas, Yassin"),
        women=_names("Fatima, Khadija, Naima, Samira, Loubna"),
        men=_names("Mohamed, Karim, Rachid, Youssef, Hicham"),
        nationality="Nederlandse",
    ),
    "tr": dict(
        weight=4,
        surnames=_surnames("Yılmaz, Demir, Kaya, Öztürk, Şahin, Çelik"),
        girls=_names("Elif, Zeynep, Meryem, Ecrin, Azra, Defne"),
        boys=_names("Yusuf, Emir, Mert, Ömer, Kerem, Alp"),
        women=_names("Ayşe, Hatice, Esra, Büşra, Derya"),
        men=_names("Hakan, Mustafa, Murat, Emre, Burak"),
        nationality="Nederlandse",
    ),
    "pl": dict(
        weight=3,
        surnames=_surnames("Nowak, Wójcik, Kowalczyk, Mazur, Krawczyk"),
        girls=_names("Zofia, Hanna, Julia, Maja, Zuzanna"),
        boys=_names("Jakub, Antoni, Szymon, Filip, Kacper"),
        women=_names("Katarzyna, Agnieszka, Magdalena, Joanna"),
        men=_names("Piotr, Tomasz, Marcin, Krzysztof"),
        nationality="Poolse",
        born_abroad=_names("Wrocław, Poznań, Kraków"),
    ),
    "ua": dict(
        weight=2,
        surnames=_surnames("Kovalenko, Shevchenko, Bondarenko, Tkachenko"),
        girls=_names("Sofiia, Anna, Viktoriia, Mariia"),
        boys=_names("Maksym, Artem, Oleksandr, Danylo"),
        women=_names("Olena, Iryna, Natalia"),
        men=_names("Andrii, Serhii, Dmytro"),
        nationality="Oekraïense",
        born_abroad=_names("Kyiv, Charkiv, Lviv"),
    ),
    "sy": dict(
        weight=2,
        surnames=_surnames("Al-Hassan, Haddad, Khalil, Al-Ahmad"),
        girls=_names("Lana, Sara, Rama, Joud"),
        boys=_names("Omar, Karam, Ahmad, Hamza"),
        women=_names("Rania, Hala, Reem"),
        men=_names("Samer, Khaled, Bassel"),
        nationality="Syrische",
        born_abroad=_names("Aleppo, Damascus, Homs"),
    ),
    "sr": dict(
        weight=2,
        surnames=_surnames("Pinas, Sedney, Kross, Doelwijt"),
        women=_names("Rosita, Shirley, Jennifer"),
        men=_names("Marciano, Romano, Clifton"),
        nationality="Nederlandse",
    ),
}

RELIGIOUS_HOLIDAY_NOTES = {"ma": "Suikerfeest", "tr": "Suikerfeest", "sy": "Offerfeest"}

GP_SPECS = [
    ("J.M. van Dijk", "Huisartsenpraktijk Schothorst", "Amersfoort"),
    ("A. Bouzid", "Huisartsenpraktijk Schothorst", "Amersfoort"),
    ("R.H. de Graaf", "Gezondheidscentrum Zielhorst", "Amersfoort"),
    ("S. Mulder", "Huisartsenpraktijk Kruiskamp", "Amersfoort"),
    ("E. van der Linden", "Huisartsen Hoogland", "Hoogland"),
    ("P.J. Kok", "Huisartsenpraktijk Leusden-Zuid", "Leusden"),
    ("M. Ait Taleb", "Huisartsenpraktijk Leusden-Zuid", "Leusden"),
    ("W.F. Brouwer", "Huisartsenpraktijk De Biezen", "Leusden"),
    ("H. Verbeek", "Huisartspraktijk Achterveld", "Achterveld"),
]

ALLERGIES = _names(
    "pinda's, noten, pinda's en noten, koemelkeiwit, ei, gluten, wespensteken, hooikoorts, huisstofmijt, penicilline, "
    "kiwi, zonnebrandcrème (parfum)"
)
CONDITIONS = _names(
    "astma, eczeem, ADHD, diabetes type 1, epilepsie, coeliakie, migraine, gehoorapparaat links, bril (sterkte -3), "
    "buisjes in de oren"
)
MEDICATION_FOR = {
    "astma": "Ventolin (salbutamol) puffer bij benauwdheid, zit in de rugzak",
    "ADHD": "methylfenidaat 10 mg, 's ochtends thuis ingenomen",
    "diabetes type 1": "insulinepomp; glucosetabletten in de la van de leerkracht",
    "epilepsie": "Buccolam (midazolam) bij een aanval langer dan 5 minuten; protocol bij de administratie",
    "eczeem": "hydrocortisonzalf, insmeren na gym",
    "migraine": "paracetamol 250 mg, alleen na overleg met ouders",
}
ALLERGY_MEDICATION = {"pinda's": "EpiPen (adrenaline-autoinjector) in de rugzak", "wespensteken": "EpiPen in de klas"}
DIETS = _names("glutenvrij, lactosevrij, halal, vegetarisch, geen varkensvlees, notenvrij, suikerarm")
REMARKS = [
    "Mag niet zonder zonnebrand naar buiten.",
    "Draagt bij gym een bril met elastiek.",
    "Ouders graag direct bellen bij hoofdletsel.",
    "Drinkt veel water; mag altijd naar de wc.",
    "Niet mee met het schoolzwemmen (oren).",
]
EMERGENCY_RELATIONS = _names("oma, opa, tante, oom, buurvrouw, buurman, oppas")

# Cito's nationally normed tests. The oldest demo year still has the old product with the A–E scheme; the later
# years the new product with I–V. One continuous ability scale per subject, so growth plots across products.
CITO_SUBJECTS = [
    # subject, label, first year level, score at M3, growth per half year, spread between pupils
    ("Rekenen-Wiskunde", "Rekenen-Wiskunde", 3, 120.0, 11.0, 14.0),
    ("Spelling", "Spelling", 3, 115.0, 9.0, 12.0),
    ("Begrijpend lezen", "Begrijpend lezen", 4, 110.0, 8.0, 13.0),
    ("Technisch lezen", "Technisch lezen DMT", 3, 30.0, 9.0, 12.0),
    ("Woordenschat", "Woordenschat", 3, 100.0, 8.0, 12.0),
]
CITO_PRODUCTS = {
    Assessment.LevelScheme.A_TO_E: "Cito LOVS",
    Assessment.LevelScheme.I_TO_V: "Cito Leerling in beeld",
}
METHOD_TEST = dict(
    supplier="Malmberg",
    subject="Rekenen-Wiskunde",
    name="Methodetoets Pluspunt",
    nationally_normed=False,
    # The model asks for a level scheme even here; a method test has no national level, its level stays empty.
    level_scheme=Assessment.LevelScheme.I_TO_V,
)
AE_BANDS = [(0.75, "A"), (0.50, "B"), (0.25, "C"), (0.10, "D"), (0.0, "E")]
IV_BANDS = [(0.80, "I"), (0.60, "II"), (0.40, "III"), (0.20, "IV"), (0.0, "V")]


def assessment_specs():
    """Every Assessment row the demo uses: (lookup, defaults)."""
    specs = []
    for scheme, product in CITO_PRODUCTS.items():
        for subject, label, *_ in CITO_SUBJECTS:
            specs.append(
                (
                    dict(supplier="Cito", subject=subject, name=f"{label} ({product.removeprefix('Cito ')})"),
                    dict(nationally_normed=True, level_scheme=scheme),
                )
            )
    lookup = {k: METHOD_TEST[k] for k in ("supplier", "subject", "name")}
    specs.append((lookup, {k: METHOD_TEST[k] for k in ("nationally_normed", "level_scheme")}))
    return specs
