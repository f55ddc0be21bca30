"""French reference data for the demo: the cluster, its companies, names, jobs and venues.

Plain data only (no database): the seeders draw from it with a fixed random seed, so two
runs build the same cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

CLUSTER_NAME = "Grappe Val-de-Loire Industrie"
CLUSTER_SLUG = "val-de-loire-industrie"
DEMO_PASSWORD = "demo-coop"  # noqa: S105  (published demo password, DESIGN §7)
RANDOM_SEED = 20240917


@dataclass(frozen=True)
class CompanyData:
    slug: str
    name: str
    town: str
    headcount: int
    members: int  # accounts created in the demo (a part of the headcount)
    jobs: tuple[str, ...]


COMPANIES: tuple[CompanyData, ...] = (
    CompanyData(
        "alpha",
        "Alpha Mécanique",
        "Blois",
        60,
        30,
        (
            "Technicienne d'usinage",
            "Technicien d'usinage",
            "Régleur sur tour CN",
            "Opérateur fraisage",
            "Programmeur FAO",
            "Contrôleuse qualité",
            "Contrôleur métrologie",
            "Cheffe d'atelier",
            "Responsable méthodes",
            "Assistante RH",
            "Magasinier",
            "Technicien de maintenance",
            "Acheteuse",
            "Chargé d'affaires",
        ),
    ),
    CompanyData(
        "beta",
        "Beta Logistique",
        "Mer",
        55,
        28,
        (
            "Préparateur de commandes",
            "Préparatrice de commandes",
            "Cariste",
            "Chef d'équipe quai",
            "Gestionnaire des stocks",
            "Responsable d'exploitation",
            "Agente de transit",
            "Exploitant transport",
            "Assistante administrative",
            "Responsable qualité sécurité environnement",
            "Agent de maintenance",
        ),
    ),
    CompanyData(
        "chaudronnerie-ligerienne",
        "Chaudronnerie Ligérienne",
        "Amboise",
        40,
        22,
        (
            "Chaudronnier",
            "Soudeuse TIG",
            "Soudeur MIG-MAG",
            "Tuyauteur",
            "Dessinateur industriel",
            "Technicienne bureau d'études",
            "Chef de chantier",
            "Peintre industriel",
            "Responsable de production",
        ),
    ),
    CompanyData(
        "plasturgie-sologne",
        "Plasturgie de Sologne",
        "Romorantin-Lanthenay",
        38,
        20,
        (
            "Régleur presse à injecter",
            "Opératrice de production",
            "Technicien outillage",
            "Animatrice qualité",
            "Responsable d'îlot",
            "Technicien process",
            "Gestionnaire ADV",
            "Chargée HSE",
        ),
    ),
    CompanyData(
        "menuiseries-vendomoises",
        "Menuiseries Vendômoises",
        "Vendôme",
        30,
        18,
        (
            "Menuisier d'atelier",
            "Menuisière poseuse",
            "Conducteur de commande numérique bois",
            "Métreur",
            "Commerciale sédentaire",
            "Responsable de pose",
            "Dessinatrice projeteuse",
        ),
    ),
    CompanyData(
        "imprimerie-beauce-loire",
        "Imprimerie Beauce & Loire",
        "Châteaudun",
        28,
        18,
        (
            "Conducteur offset",
            "Conductrice numérique",
            "Opérateur façonnage",
            "PAOiste",
            "Chargée de fabrication",
            "Commercial",
            "Responsable prépresse",
        ),
    ),
    CompanyData(
        "conserverie-coteaux",
        "Conserverie des Coteaux",
        "Onzain",
        45,
        18,
        (
            "Opératrice de conditionnement",
            "Conducteur de ligne",
            "Technicienne laboratoire",
            "Responsable hygiène",
            "Chef de quai",
            "Approvisionneuse",
            "Technicien frigoriste",
        ),
    ),
    CompanyData(
        "ondelec",
        "Ondelec Systèmes",
        "Vineuil",
        32,
        16,
        (
            "Câbleuse",
            "Technicien de test",
            "Ingénieure électronique",
            "Développeur embarqué",
            "Opératrice CMS",
            "Responsable supply chain",
            "Technicien SAV",
        ),
    ),
    CompanyData(
        "textile-chambord",
        "Atelier Textile de Chambord",
        "Bracieux",
        25,
        14,
        (
            "Couturière",
            "Mécanicien de machines à coudre",
            "Coupeuse",
            "Modéliste",
            "Responsable d'atelier",
            "Gestionnaire e-commerce",
        ),
    ),
    CompanyData(
        "cosmetiques-val",
        "Laboratoires du Val Cosmétique",
        "Saint-Gervais-la-Forêt",
        30,
        14,
        (
            "Technicienne formulation",
            "Opérateur de fabrication",
            "Responsable affaires réglementaires",
            "Conditionneuse",
            "Technicien qualité",
            "Chargée de marketing",
        ),
    ),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    company_slug: str | None
    role: str  # human-readable, printed by the demo
    job_title: str
    is_correspondent: bool = False
    is_hr_club: bool = False
    is_admin: bool = False


# The six accounts that always exist in the demo (DESIGN §7); rh@club.demo belongs to no
# company: the HR club is a cluster-level body whose facilitator is employed by the cluster.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "membre@alpha.demo",
        "Camille Lefèvre",
        "alpha",
        "membre, Alpha Mécanique",
        "Technicienne d'usinage",
    ),
    DemoAccount(
        "correspondant@alpha.demo",
        "Julien Moreau",
        "alpha",
        "correspondant formation, Alpha Mécanique",
        "Responsable méthodes",
        is_correspondent=True,
    ),
    DemoAccount(
        "membre@beta.demo",
        "Sofiane Benali",
        "beta",
        "membre, Beta Logistique",
        "Préparateur de commandes",
    ),
    DemoAccount(
        "correspondant@beta.demo",
        "Nathalie Girard",
        "beta",
        "correspondante formation, Beta Logistique",
        "Responsable d'exploitation",
        is_correspondent=True,
    ),
    DemoAccount(
        "rh@club.demo",
        "Isabelle Marchand",
        None,
        "club RH de la grappe (sans entreprise)",
        "Animatrice du club RH",
        is_hr_club=True,
    ),
    DemoAccount(
        "admin@coop.demo",
        "Thomas Garnier",
        None,
        "administrateur de la coopérative (sans entreprise)",
        "Coordinateur de la coopérative",
        is_admin=True,
    ),
)


def _split(names: str) -> tuple[str, ...]:
    return tuple(names.split("|"))


FIRST_NAMES: tuple[str, ...] = _split(
    "Léa|Manon|Chloé|Emma|Inès|Sarah|Camille|Julie|Laura|Marion|Pauline|Aurélie|Céline|"
    "Sandrine|Nathalie|Valérie|Stéphanie|Karine|Sophie|Élodie|Amandine|Mélanie|Claire|"
    "Anaïs|Lucie|Fatima|Yasmine|Aïcha|Nadia|Samia|Océane|Justine|Morgane|Audrey|Émilie|"
    "Hélène|Sylvie|Martine|Brigitte|Patricia|Thi Lan|Ana|Maria|Joana|Alice|Lucas|Hugo|"
    "Théo|Nathan|Louis|Thomas|Nicolas|Julien|Maxime|Alexandre|Romain|Kévin|Anthony|"
    "Sébastien|Christophe|Stéphane|Frédéric|David|Olivier|Laurent|Philippe|Pascal|"
    "Thierry|Éric|Franck|Jérôme|Mickaël|Cédric|Damien|Guillaume|Karim|Mehdi|Rachid|"
    "Mamadou|Youssef|Bilal|Samir|Jean-Marc|Jean-Luc|Pierre|Paul|Antoine|Bruno|Didier|"
    "Gilles|Yannick|Florian|Quentin|Adrien|Baptiste|Mathis|José|João|Duc|Enzo"
)

LAST_NAMES: tuple[str, ...] = _split(
    "Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|"
    "Lefebvre|Michel|Garcia|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|André|"
    "Mercier|Dupont|Lambert|Bonnet|François|Martinez|Legrand|Garnier|Faure|Rousseau|"
    "Blanc|Guérin|Muller|Henry|Roussel|Nicolas|Perrin|Morin|Mathieu|Clément|Gauthier|"
    "Dumont|Lopez|Fontaine|Chevalier|Robin|Masson|Sanchez|Gérard|Nguyen|Boyer|Denis|"
    "Lemaire|Duval|Joly|Gautier|Roger|Roche|Roy|Noël|Meyer|Lucas|Meunier|Jean|Pérez|"
    "Marchand|Dufour|Blanchard|Marie|Barbier|Brun|Dumas|Brunet|Schmitt|Leroux|Colin|"
    "Fernandez|Pierre|Renard|Arnaud|Rolland|Caron|Aubert|Giraud|Leclerc|Vidal|Bourgeois|"
    "Renaud|Lemoine|Picard|Gaillard|Philippe|Leclercq|Lacroix|Fabre|Dupuis|Olivier|"
    "Rodriguez|Da Silva|Hubert|Louis|Charles|Guillot|Rivière|Le Gall|Guillaume|Adam|Rey|"
    "Moulin|Gonzalez|Berger|Lecomte|Ménard|Fleury|Deschamps|Carpentier|Julien|Benoît|"
    "Paris|Maillard|Marchal|Aubry|Vasseur|Le Roux|Renault|Jacquet|Collet|Prévost|Poirier|"
    "Charpentier|Royer|Huet|Baron|Dupuy|Pons|Paul|Laine|Carré|Breton|Rémy|Schneider|"
    "Perrot|Guyot|Barre|Marty|Cousin|Benali|Haddad|Diallo|Traoré|Pereira|Ferreira|Tran|"
    "Pham|Kaya|Yilmaz"
)


@dataclass(frozen=True)
class VenueData:
    name: str
    address: str
    capacity: int
    accessibility: str
    opening_hours: str


VENUES: tuple[VenueData, ...] = (
    VenueData(
        "La Fabrique du Val",
        "12 rue des Tanneurs, 41000 Blois",
        24,
        "Plain-pied, toilettes adaptées, boucle magnétique dans la grande salle.",
        "Du lundi au vendredi, 8 h – 19 h",
    ),
    VenueData(
        "Tiers-lieu de la Gare",
        "Ancienne halle SNCF, place de la Gare, 41500 Mer",
        16,
        "Accès de plain-pied par le quai ; stationnement réservé devant la halle.",
        "Du lundi au samedi, 9 h – 18 h",
    ),
    VenueData(
        "Atelier partagé Les Coteaux",
        "4 chemin des Vignes, 41150 Onzain",
        12,
        "Atelier au rez-de-chaussée ; bancs de travail à hauteur réglable.",
        "Mardi, jeudi et vendredi, 8 h 30 – 17 h 30",
    ),
    VenueData(
        "Le Moulin numérique",
        "2 quai du Foix, 41400 Montrichard",
        20,
        "Ascenseur ; salle équipée d'un écran et d'une caméra pour les sessions hybrides.",
        "Du lundi au vendredi, 9 h – 20 h",
    ),
    VenueData(
        "Maison de l'emploi du Vendômois",
        "18 faubourg Chartrain, 41100 Vendôme",
        30,
        "Bâtiment accessible (ascenseur, toilettes adaptées).",
        "Du lundi au vendredi, 8 h 30 – 17 h",
    ),
)

BIOS: tuple[str, ...] = (
    "Dans la maison depuis quinze ans, j'aime transmettre ce que j'ai appris sur le tas.",
    "Arrivée récemment dans la grappe, curieuse de tout ce qui touche à la qualité.",
    "Ancien de l'armée, reconverti dans l'industrie ; je cours le dimanche au bord de la Loire.",
    "J'anime le club photo de l'entreprise et j'ai envie d'apprendre la programmation.",
    "Parent de deux ados, je cherche des formations sur mon temps de travail si possible.",
    "Formé en alternance, j'aimerais à mon tour accompagner des apprentis.",
)
