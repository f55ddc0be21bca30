"""Texts of the demo's cooperation step: written as the cluster's employees would write them."""

from __future__ import annotations

from typing import Any

AVAILABILITIES = (
    "Le mardi après-midi, hors périodes d'inventaire",
    "Plutôt le matin, deux heures par mois",
    "Le jeudi, en atelier ou à distance",
    "En fin de journée, une fois par mois",
    "Selon le planning d'équipe, prévenir deux semaines avant",
)

# Someone in another company who can teach what Alpha's needs ask for.
EXTRA_TEACHERS: tuple[tuple[str, str], ...] = (
    ("ondelec", "Utiliser un logiciel de FAO"),
    ("ondelec", "Règles de sécurité électrique"),
    ("chaudronnerie-ligerienne", "Utiliser des outils à main"),
    ("chaudronnerie-ligerienne", "Lire des dessins techniques"),
    ("plasturgie-sologne", "Utiliser des instruments de mesure de précision"),
    ("plasturgie-sologne", "Conduire un tour"),
    ("cosmetiques-val", "Inspecter la qualité des produits"),
    ("cosmetiques-val", "Méthodes d'assurance qualité"),
    ("beta", "Présider une réunion"),
    ("conserverie-coteaux", "Règles de sécurité électrique"),
)

# Alpha and Beta need the same thing: the pool the correspondent can make.
POOLABLE_NEEDS: tuple[dict[str, Any], ...] = (
    {
        "company": "alpha",
        "title": "Habilitation électrique : intervenir sans risque sur nos machines",
        "description": (
            "Les régleurs ouvrent de plus en plus souvent les armoires des machines pour "
            "réarmer ou changer un capteur. Nous voulons connaître les risques électriques et "
            "les gestes de consignation avant de passer une habilitation."
        ),
        "skills": ("Règles de sécurité électrique", "Repérer les dangers sur le lieu de travail"),
        "urgency": "soon",
        "visibility": "company",
        "supporters": 4,
        "days_ago": 20,
    },
    {
        "company": "beta",
        "title": "Habilitation électrique : intervenir sans risque sur les chargeurs",
        "description": (
            "Les caristes branchent et débranchent les chargeurs de batteries et certains "
            "réarment les disjoncteurs du quai. Il nous faut les bases du risque électrique "
            "et de la consignation, idéalement avec d'autres entreprises."
        ),
        "skills": ("Règles de sécurité électrique", "Repérer les dangers sur le lieu de travail"),
        "urgency": "soon",
        "visibility": "cluster",
        "supporters": 5,
        "days_ago": 16,
    },
)

SEEDED_POOL: dict[str, Any] = {
    "title": "Analyse des risques au poste : une session commune",
    "needs": ("Remplir le document unique", "Comprendre la méthode HACCP"),
}

RELAY_QUESTION = (
    "Bonjour, j'ai fait le passage de préparateur à contrôleur qualité réception il y a deux "
    "ans chez Beta. Si cela vous aide, je peux vous raconter comment je m'y suis pris et ce "
    "que j'aurais aimé savoir avant. Dites-moi ce qui vous intéresse le plus."
)
RELAY_ANSWER = (
    "Merci beaucoup ! Ce qui m'inquiète, c'est la partie statistique (cartes de contrôle) et "
    "la façon d'annoncer un refus de lot à l'atelier. Un échange d'une heure me serait très "
    "utile ; je préfère rester anonyme pour l'instant."
)

MOBILITY_WISH: dict[str, str] = {
    "title": "Évoluer vers le contrôle qualité",
    "text": (
        "Après huit ans en usinage, j'aimerais rejoindre le service qualité, d'abord en "
        "contrôle réception. Je suis prête à me former sur mon temps de travail et à faire "
        "un stage d'observation."
    ),
    "horizon": "medium",
}

ASSISTED_NEED: dict[str, Any] = {
    "title": "Remplir les documents d'expédition sur la nouvelle tablette",
    "description": (
        "Saisi par le correspondant avec l'accord de la personne : elle préfère apprendre "
        "avec un collègue, pas à pas, plutôt qu'avec le mode d'emploi."
    ),
    "skills": ("Gérer les documents d'expédition",),
}

COMMUNITIES: tuple[dict[str, Any], ...] = (
    {
        "creator": "correspondant@alpha.demo",
        "name": "Qualité et métrologie",
        "description": (
            "Pour celles et ceux qui mesurent, contrôlent et améliorent : astuces de mesure, "
            "lecture des normes, retours d'audits, entraide entre ateliers."
        ),
        "skills": ("Utiliser des instruments de mesure de précision", "Normes de qualité"),
        "accounts": ("membre@alpha.demo", "membre@beta.demo"),
        "members": 9,
        "posts": (
            (
                "Quelqu'un a-t-il une méthode simple pour vérifier un pied à coulisse entre "
                "deux étalonnages ? Nous utilisons des cales, mais sans fiche commune.",
                (
                    "Nous avons une fiche d'une page avec trois cales et une bague : je la "
                    "dépose dans les ressources.",
                    "Pensez à noter la température de l'atelier, ça change tout en été.",
                ),
            ),
            (
                "Retour d'audit IFS à la conserverie : les auditeurs ont beaucoup regardé la "
                "traçabilité des instruments. Prêts à en parler lors d'une prochaine session.",
                ("Très intéressé, nous avons un audit ISO 9001 en juin.",),
            ),
        ),
        "links": (
            (
                "Le vocabulaire international de métrologie (VIM)",
                "https://www.bipm.org/fr/publications/guides/vim",
                "La référence des termes : justesse, fidélité, incertitude.",
            ),
            (
                "Fiches pratiques du Laboratoire national de métrologie",
                "https://www.lne.fr/fr",
                "Guides gratuits sur l'étalonnage et la vérification des instruments.",
            ),
        ),
    },
    {
        "creator": "correspondant@beta.demo",
        "name": "Sécurité et prévention au travail",
        "description": (
            "Document unique, gestes et postures, habilitations, premiers secours : partager "
            "ce qui marche pour que chacun rentre chez soi en bonne santé."
        ),
        "skills": ("Analyser les risques", "Règles de sécurité en entrepôt"),
        "accounts": ("membre@beta.demo",),
        "members": 11,
        "posts": (
            (
                "Nous lançons des échauffements de cinq minutes avant la prise de poste au quai. "
                "Des retours d'autres entreprises qui l'ont fait ?",
                (
                    "Chez nous, ça a tenu parce que les chefs d'équipe le font aussi.",
                    "Attention à le faire sur le temps de travail, sinon ça s'essouffle vite.",
                ),
            ),
            (
                "Plusieurs entreprises cherchent une habilitation électrique : le club RH "
                "propose une formation mutualisée, les places sont partagées.",
                ("Alpha prend trois places, merci pour l'initiative.",),
            ),
        ),
        "links": (
            (
                "INRS : dossiers et outils de prévention",
                "https://www.inrs.fr/",
                "Fiches, affiches et outils pour le document unique.",
            ),
        ),
    },
    {
        "creator": "ondelec",
        "name": "Numérique à l'atelier",
        "description": (
            "Tableurs, petits scripts, tablettes et bancs de test : apprendre ensemble à faire "
            "travailler les outils numériques pour nous, sans laisser personne de côté."
        ),
        "skills": ("Utiliser un tableur", "Python (programmation)"),
        "accounts": ("membre@alpha.demo",),
        "members": 7,
        "posts": (
            (
                "Après la session Python, nous avons automatisé le relevé des bancs de test. "
                "Je peux montrer le script à qui veut, il fait trente lignes.",
                ("Oui ! Nous avons le même besoin pour les fiches de contrôle.",),
            ),
        ),
        "links": (
            (
                "Tutoriel Python officiel en français",
                "https://docs.python.org/fr/3/tutorial/",
                "Pour reprendre les bases à son rythme.",
            ),
            (
                "Aide LibreOffice Calc : tableaux croisés dynamiques",
                "https://help.libreoffice.org/latest/fr/text/scalc/guide/datapilot.html",
                "Pas à pas, avec des exemples.",
            ),
        ),
    },
)
