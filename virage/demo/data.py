"""Plausible Quebec names, addresses and identifiers for demo and load-test data.

Everything here is drawn from a ``random.Random`` passed in by the caller, so the same seed gives
the same data. None of it describes a real organization or person: names are assembled from common
Quebec first names, family names and the usual wording of organization names. E-mail addresses use
the reserved ``.example`` top-level domain and phone numbers the 555-01xx block kept for fiction,
so no message or call can ever reach somebody by accident.
"""

import random
import re
from dataclasses import dataclass

from virage.core.text import fold

FIRST_NAMES = (
    "Marie", "Julie", "Isabelle", "Nathalie", "Catherine", "Geneviève", "Mélanie", "Stéphanie", "Émilie",
    "Sophie", "Valérie", "Caroline", "Annie", "Chantal", "Sylvie", "Josée", "Karine", "Audrey", "Camille",
    "Léa", "Chloé", "Florence", "Rosalie", "Maude", "Marie-Ève", "Anne-Marie", "Jacinthe", "Lucie", "Manon",
    "Johanne", "Fatima", "Amina", "Nadia", "Yasmine", "Mariana", "Linh", "Mei", "Priya", "Rachelle", "Esther",
    "Jean", "Pierre", "Michel", "Martin", "Stéphane", "Sébastien", "Patrick", "François", "Mathieu", "Maxime",
    "Alexandre", "Simon", "Olivier", "Guillaume", "Philippe", "Louis", "Jérôme", "Marc-André", "Jean-François",
    "Éric", "Luc", "Denis", "Daniel", "Félix", "Gabriel", "William", "Samuel", "Antoine", "Thomas", "Nicolas",
    "Karim", "Mohamed", "Youssef", "Samir", "Wilson", "Jean-Baptiste", "Minh", "Carlos", "Diego", "Rajesh",
)  # fmt: skip

LAST_NAMES = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard",
    "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc",
    "Lefebvre", "Poulin", "Thibault", "St-Pierre", "Nadeau", "Martin", "Landry", "Martel", "Bédard", "Grenier",
    "Lessard", "Bernier", "Richard", "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance",
    "Parent", "Blais", "Gosselin", "Savard", "Proulx", "Beaudoin", "Demers", "Perron", "Boudreau",
    "Charbonneau", "Mercier", "Lemieux", "Vachon", "Dion", "Rousseau", "Harvey", "Gingras", "Labelle", "Allard",
    "Champagne", "Dufour", "Ménard", "Gilbert", "Nguyen", "Tran", "Diallo", "Traoré", "Joseph", "Pierre-Louis",
    "Benali", "Haddad", "Khoury", "Rodriguez", "Gonzalez", "Singh", "Chen", "Wang", "Kanapé", "Awashish",
    "Sioui", "Picard", "Jacobs", "Bastien",
)  # fmt: skip

# Evocative names that community organizations often take ("Maison des jeunes L'Envol").
EVOCATIVE_NAMES = (
    "L'Envol", "Le Phare", "La Passerelle", "Le Tournesol", "L'Arc-en-ciel", "La Boussole", "Le Pont",
    "L'Éclaircie", "Le Havre", "La Ruche", "L'Ancrage", "Le Relais", "La Source", "L'Escale", "Le Grenier",
    "La Marée", "Le Sentier", "L'Élan", "La Chrysalide", "L'Oasis", "La Main tendue", "Le Tremplin",
    "L'Horizon", "Les Ailes", "La Bouée", "Le Nid", "La Traversée", "Le Fil d'Ariane", "La Clé", "L'Entre-deux",
)  # fmt: skip

# Words that businesses put in their trade names ("Solutions Boréal inc.").
BRAND_WORDS = (
    "Boréal", "Nordik", "Horizon", "Laurentide", "Bleuet", "Érable", "Castor", "Harfang", "Aurore", "Belvédère",
    "Cardinal", "Mistral", "Zénith", "Estuaire", "Fjord", "Outarde", "Caribou", "Rive-Sud", "Vallée", "Sommet",
    "Cime", "Alizé", "Archipel", "Atlas", "Prisme", "Pixel", "Ancre", "Lanterne", "Voilier", "Cèdre", "Bouleau",
    "Épinette", "Mélèze", "Sapin", "Chêne", "Tilleul", "Sureau", "Quartz", "Granit", "Azur",
)  # fmt: skip

STREETS = (
    "rue Principale", "rue Saint-Jean", "boulevard Saint-Joseph", "rue Notre-Dame", "avenue du Parc", "rue King",
    "rue Wellington", "chemin du Lac", "rue de l'Église", "rang Saint-Paul", "boulevard Laurier",
    "rue Sherbrooke", "rue Racine", "rue des Érables", "avenue Cartier", "rue Dufferin", "rue Saint-Georges",
    "boulevard de la Concorde", "rue Laviolette", "boulevard Talbot", "rue du Couvent", "rue Commerciale",
    "boulevard des Forges", "rue Saint-Laurent", "avenue de la Gare", "chemin Sainte-Foy", "rue du Moulin",
)  # fmt: skip

COMMUNITY_ROLE_TITLES = (
    "Direction générale", "Coordination", "Communications", "Administration", "Intervention",
    "Comptabilité", "Présidence du conseil d'administration", "Responsable des bénévoles",
    "Responsable des technologies",
)  # fmt: skip
BUSINESS_ROLE_TITLES = (
    "Présidence", "Direction générale", "Direction des opérations", "Comptabilité", "Ventes",
    "Ressources humaines", "Technologies de l'information", "Marketing",
)  # fmt: skip

# Organization names by kind and sector. "{place}" is "de Rimouski" / "d'Alma"; "{town}" is the bare
# name; "{evocative}", "{brand}", "{last}", "{last2}" and "{first}" are drawn from the lists above.
COMMUNITY_NAMES = {
    "social_services": (
        "Centre d'action bénévole {place}", "Carrefour d'entraide {place}", "Maison de la famille {place}",
        "Centre de femmes {evocative}", "Association des personnes handicapées {place}",
        "Regroupement des proches aidants {place}", "Popote roulante {place}", "Centre communautaire {evocative}",
        "Maison des aînés {place}", "Corporation de développement communautaire {place}",
    ),
    "food_security": (
        "Comptoir alimentaire {place}", "Cuisines collectives {place}", "Frigo communautaire {evocative}",
        "Banque alimentaire {place}", "Jardins collectifs {place}", "Moisson {town}",
    ),
    "housing": ("Comité logement {place}", "Maison d'hébergement {evocative}", "Refuge {evocative}"),
    "education": (
        "Centre d'alphabétisation {evocative}", "Aide aux devoirs {place}", "Maison des jeunes {evocative}",
        "Centre de formation populaire {place}",
    ),
    "employment": (
        "Carrefour jeunesse-emploi {place}", "Service d'aide à l'emploi {place}", "Club de recherche d'emploi {place}",
    ),
    "health": (
        "Association de santé mentale {place}", "Centre de prévention du suicide {place}",
        "Maison de soins palliatifs {place}", "Centre d'écoute {evocative}",
    ),
    "culture": ("Théâtre {evocative}", "Société d'histoire {place}", "Maison de la culture {evocative}"),
    "environment": ("Éco-quartier {place}", "Comité de bassin versant {place}", "Club environnement {evocative}"),
}  # fmt: skip

BUSINESS_NAMES = {
    "manufacturing": (
        "Usinage {last} inc.", "Métal {brand} inc.", "Plastiques {last} ltée", "Fabrication {last} et fils inc.",
        "Portes et fenêtres {brand} inc.", "Meubles {last} inc.", "Soudure {town} inc.",
    ),
    "retail": (
        "Quincaillerie {last}", "Boutique {brand}", "Librairie {brand}", "Épicerie {last}", "Fleuriste {brand}",
        "Dépanneur {town}", "Marché {last} et {last2}",
    ),
    "tourism": (
        "Auberge {brand}", "Restaurant Chez {first}", "Café {brand}", "Gîte {brand}", "Camping {place}",
        "Microbrasserie {brand}", "Pourvoirie {brand}",
    ),
    "construction": (
        "Construction {last} inc.", "Excavation {last} et fils inc.", "Toitures {town} inc.", "Rénovations {last}",
        "Électricité {last} inc.", "Plomberie {last} inc.",
    ),
    "professional_services": (
        "{last} {last2} CPA inc.", "Services comptables {last}", "Arpentage {last} inc.", "{last} avocats inc.",
        "Consultants {brand} inc.", "Agence {brand} communication",
    ),
    "agriculture": (
        "Ferme {last} senc", "Érablière {last}", "Vignoble {brand}", "Fromagerie {brand}", "Serres {last} inc.",
        "Pépinière {town}",
    ),
    "technology": (
        "Solutions {brand} inc.", "Logiciels {brand} inc.", "Studio {brand}", "{brand} Numérique inc.",
        "Informatique {town} inc.",
    ),
    "finance": ("Assurances {last} inc.", "Services financiers {last}", "Courtage {brand} inc."),
    "health": ("Clinique de physiothérapie {town}", "Centre dentaire {brand}", "Pharmacie {last} et {last2}"),
}  # fmt: skip

COOPERATIVE_NAMES = (
    "Coopérative de solidarité {place}", "Coop {brand}", "Coopérative d'habitation {evocative}",
    "Coopérative funéraire {place}", "Coopérative de services à domicile {place}", "Coopérative forestière {place}",
)  # fmt: skip
COOPERATIVE_SECTORS = ("social_services", "retail", "housing", "social_services", "social_services", "agriculture")
SOCIAL_ECONOMY_NAMES = (
    ("Ressourcerie {place}", "environment"),
    ("Entreprise d'insertion {evocative}", "employment"),
    ("Friperie {evocative}", "retail"),
    ("Centre de la petite enfance {evocative}", "education"),
    ("Traiteur solidaire {evocative}", "food_security"),
)
OTHER_NAMES = (
    ("Chambre de commerce {place}", "other"),
    ("Corporation de développement économique {place}", "public"),
    ("Société de développement commercial {place}", "other"),
)

MISSIONS = {
    "social_services": "Briser l'isolement et offrir des services de proximité aux personnes {place}.",
    "food_security": "Offrir une aide alimentaire digne aux familles et aux personnes seules {place}.",
    "housing": "Défendre le droit au logement et accompagner les locataires {place}.",
    "education": "Soutenir la réussite éducative et l'alphabétisation des jeunes et des adultes {place}.",
    "employment": "Accompagner les personnes {place} dans leur recherche d'emploi et leur insertion.",
    "health": "Promouvoir la santé et le mieux-être des personnes {place} et de leurs proches.",
    "culture": "Rendre l'art et la culture accessibles aux citoyennes et aux citoyens {place}.",
    "environment": "Mobiliser la communauté {place} autour de la protection de l'environnement.",
}

# Population of the largest cities (Institut de la statistique du Québec, rounded), used to place
# organizations where people live. Every other municipality gets a weight from its designation.
CITY_POPULATIONS = {
    "montreal": 1_760_000, "quebec": 550_000, "laval": 440_000, "gatineau": 290_000, "longueuil": 255_000,
    "sherbrooke": 175_000, "levis": 150_000, "saguenay": 145_000, "trois rivieres": 140_000,
    "terrebonne": 120_000, "saint jean sur richelieu": 100_000, "brossard": 92_000, "repentigny": 86_000,
    "drummondville": 80_000, "saint jerome": 80_000, "granby": 70_000, "mirabel": 62_000, "blainville": 60_000,
    "saint hyacinthe": 58_000, "mascouche": 51_000, "shawinigan": 50_000, "chateauguay": 50_000,
    "rimouski": 49_000, "victoriaville": 48_000, "saint eustache": 45_000, "vaudreuil dorion": 43_000,
    "rouyn noranda": 42_000, "salaberry de valleyfield": 42_000, "boucherville": 41_000, "sorel tracy": 35_000,
    "joliette": 21_000, "alma": 30_000, "sept iles": 25_000, "val d or": 33_000, "baie comeau": 21_000,
    "thetford mines": 26_000, "saint georges": 33_000, "magog": 28_000, "rigaud": 8_000, "gaspe": 15_000,
}  # fmt: skip
DESIGNATION_WEIGHTS = {
    "ville": 4_000,
    "municipalite": 1_200,
    "paroisse": 800,
    "village": 600,
    "canton": 600,
    "cantons unis": 600,
    "village nordique": 500,
    "reserve indienne": 500,
    "terres reservees": 300,
    "etablissement amerindien": 300,
    "village cri": 500,
    "village naskapi": 300,
}
DEFAULT_WEIGHT = 800

# First letter of the postal codes of each administrative region, and its telephone area codes.
POSTAL_LETTERS = {"06": "H", "13": "H", "05": "J", "07": "J", "08": "J", "10": "J", "14": "J", "15": "J", "16": "J"}
AREA_CODES = {
    "06": ("514", "438"),
    "13": ("450", "579"),
    "14": ("450", "579"),
    "15": ("450", "579"),
    "16": ("450", "579"),
    "04": ("819", "873"),
    "05": ("819", "873"),
    "07": ("819", "873"),
    "08": ("819", "873"),
    "10": ("819", "418"),
    "17": ("819", "873"),
}
EAST_AREA_CODES = ("418", "581", "367")
# Canada Post never uses D, F, I, O, Q or U in a postal code.
POSTAL_CODE_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"

# A NEQ starts with 11 (legal person), 22 (sole proprietorship), 33 (partnership) or 88 (other).
NEQ_PREFIXES_BY_KIND = {
    "sme": ("11", "11", "11", "22", "33"),
    "cooperative": ("11",),
    "social_economy": ("11",),
    "community": ("11",),
    "other": ("88",),
}
# Multiplying by a number prime to 10 permutes the integers modulo 10**8: different indexes always
# give different NEQ and charity numbers, and neighbouring indexes give numbers that look unrelated.
_SCRAMBLE_FACTOR = 48_271
_SCRAMBLE_OFFSET = 31_415_926
_SUFFIX_SPACE = 10**8

_ELISION = re.compile(r"^[AEIOUYÉÈÊÎÔÂ]", re.IGNORECASE)
_SLUG_DROP = re.compile(r"\b(inc|ltee|senc|cpa|de|du|des|la|le|les|l|d|et)\b")
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class OrganizationProfile:
    kind: str
    sector: str
    legal_name: str
    usual_name: str
    mission: str


def of_place(town: str) -> str:
    """``"de Rimouski"``, ``"d'Alma"``, ``"des Escoumins"``, ``"du Bic"``: French elision and contraction."""
    if town.startswith("Les "):
        return "des " + town[4:]
    if town.startswith("Le "):
        return "du " + town[3:]
    if _ELISION.match(town):
        return "d'" + town
    return "de " + town


def municipality_weight(name: str, designation: str) -> int:
    """How many organizations a municipality gets, relative to the others (roughly its population)."""
    folded = fold(name)
    if folded in CITY_POPULATIONS:
        return CITY_POPULATIONS[folded] // 100
    designation = fold(designation)
    if "non organise" in designation:
        # Unorganized territories have (almost) no residents.
        return 0
    return DESIGNATION_WEIGHTS.get(designation, DEFAULT_WEIGHT) // 100


def neq_for(index: int, prefix: str) -> str:
    """A well-formed NEQ, different for every ``index`` below 10**8, whatever the prefix."""
    return prefix + f"{(index * _SCRAMBLE_FACTOR + _SCRAMBLE_OFFSET) % _SUFFIX_SPACE:08d}"


def luhn_check_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def charity_number_for(index: int) -> str:
    """A well-formed charity registration number (Luhn-valid business number + RR0001), unique per index."""
    # 7,919 is prime to 10, so this permutes the integers modulo 10**7: unique below 10 million.
    body = "8" + f"{(index * 7_919 + 1_234_567) % 10**7:07d}"
    return body + luhn_check_digit(body) + "RR0001"


def slugify_name(name: str, *, limit: int = 30) -> str:
    words = _SLUG_DROP.sub(" ", fold(name))
    slug = _NON_ALPHANUMERIC.sub("-", words).strip("-")
    return slug[:limit].rstrip("-") or "organisme"


class NameMaker:
    """Draws names, addresses and contact details from ``rng``; same seed, same output."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def person_name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def _fill(self, template: str, town: str) -> str:
        rng = self.rng
        last, last2 = rng.sample(LAST_NAMES, 2)
        return template.format(
            place=of_place(town),
            town=town,
            evocative=rng.choice(EVOCATIVE_NAMES),
            brand=rng.choice(BRAND_WORDS),
            last=last,
            last2=last2,
            first=rng.choice(FIRST_NAMES),
        )

    def organization(self, kind: str, town: str) -> OrganizationProfile:
        rng = self.rng
        usual_name = ""
        if kind == "community":
            sector = rng.choice(tuple(COMMUNITY_NAMES))
            legal_name = self._fill(rng.choice(COMMUNITY_NAMES[sector]), town)
        elif kind == "sme":
            sector = rng.choice(tuple(BUSINESS_NAMES))
            legal_name = self._fill(rng.choice(BUSINESS_NAMES[sector]), town)
            if rng.random() < 0.08:
                # Numbered companies are common in Quebec: the registered name is a number, the
                # sign on the door is the usual name.
                usual_name = legal_name.removesuffix(" inc.").removesuffix(" ltée")
                legal_name = f"9{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)} Québec inc."
        elif kind == "cooperative":
            position = rng.randrange(len(COOPERATIVE_NAMES))
            sector = COOPERATIVE_SECTORS[position]
            legal_name = self._fill(COOPERATIVE_NAMES[position], town)
        elif kind == "social_economy":
            template, sector = rng.choice(SOCIAL_ECONOMY_NAMES)
            legal_name = self._fill(template, town)
        else:
            template, sector = rng.choice(OTHER_NAMES)
            legal_name = self._fill(template, town)
        mission = MISSIONS.get(sector, "").format(place=of_place(town)) if kind != "sme" else ""
        return OrganizationProfile(kind, sector, legal_name, usual_name, mission)

    def address(self) -> str:
        return f"{self.rng.randrange(10, 9999)}, {self.rng.choice(STREETS)}"

    def postal_code(self, region_code: str) -> str:
        rng = self.rng
        letter = POSTAL_LETTERS.get(region_code, "G")
        return (
            f"{letter}{rng.randrange(10)}{rng.choice(POSTAL_CODE_LETTERS)} "
            f"{rng.randrange(10)}{rng.choice(POSTAL_CODE_LETTERS)}{rng.randrange(10)}"
        )

    def phone(self, region_code: str) -> str:
        """A number in the 555-0100 to 555-0199 block, reserved for fiction, in the stored form."""
        area = self.rng.choice(AREA_CODES.get(region_code, EAST_AREA_CODES))
        return f"+1-{area}-555-01{self.rng.randrange(100):02d}"

    def email(self, first_name: str, last_name: str, organization_name: str) -> str:
        local = ".".join(_NON_ALPHANUMERIC.sub("-", fold(name)).strip("-") for name in (first_name, last_name))
        return f"{local}@{slugify_name(organization_name)}.example"

    def role_title(self, kind: str) -> str:
        return self.rng.choice(BUSINESS_ROLE_TITLES if kind == "sme" else COMMUNITY_ROLE_TITLES)

    def bands(self, kind: str) -> dict[str, str]:
        rng = self.rng
        bands = {
            "employees_band": rng.choice(("0", "1-4", "1-4", "5-9", "5-9", "10-49", "10-49", "50-99", "100+")),
            "budget_band": rng.choice(("<100k", "<100k", "100k-500k", "100k-500k", "500k-1m", "1m-5m", "5m+")),
        }
        if kind != "sme":
            bands["volunteers_band"] = rng.choice(("0", "1-9", "10-49", "10-49", "50-199", "200+"))
        return bands
