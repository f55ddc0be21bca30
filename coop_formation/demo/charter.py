"""The demo cluster's charter: the rules every member accepts at first sign-in (DESIGN §1)."""

from __future__ import annotations

CHARTER_TITLE = "Charte de la coopérative de formation du Val-de-Loire"

CHARTER_BODY = """\
Préambule

Les entreprises de la grappe Val-de-Loire Industrie ont créé ensemble une coopérative de
formation. Elle permet aux salariés de dire ce qu'ils ont besoin d'apprendre, d'enseigner ce
qu'ils savent, et de faire reconnaître leurs compétences. Cette charte fixe les règles que
chaque membre, chaque entreprise et chaque correspondant formation s'engage à respecter.

Article 1 – Objet

La coopérative sert le collectif et chaque personne. Elle s'adresse à tous les salariés des
entreprises de la grappe, quels que soient leur métier, leur diplôme et leur ancienneté.

Article 2 – Solidarité entre les entreprises

Les entreprises de la grappe sont solidaires. Le fonds coopératif couvre les déficits des
sessions : une formation utile a lieu même si elle accueille peu de participants. Les
excédents reviennent au fonds coopératif, jamais à une entreprise en particulier.

Article 3 – Toutes les heures se valent

Une heure enseignée vaut une heure, quelle que soit la personne qui enseigne et quel que soit
le sujet : le savoir d'un régleur vaut celui d'une ingénieure. Seule une décision collective
de la coopérative, publiée dans sa politique, peut changer cette règle.

Article 4 – Pas de débauchage

Les entreprises s'engagent à ne pas utiliser la coopérative pour débaucher les salariés des
autres entreprises de la grappe. Ce qu'on apprend ou enseigne ici ne sert pas à recruter
chez le voisin. Un salarié reste libre de ses projets : une mobilité qu'il demande lui-même
n'est pas un débauchage.

Article 5 – Anonymat

Chacun peut déclarer un besoin de formation ou un souhait de mobilité ou de reconversion sans
que son projet professionnel soit connu. Un besoin déclaré anonyme n'affiche son auteur à
personne : ni aux collègues, ni à l'entreprise, ni aux correspondants formation, ni au club
RH. Seul son auteur sait qu'il en est l'auteur.

Article 6 – Confidentialité des informations personnelles

Chaque membre choisit qui voit chaque information de son profil : lui seul, son entreprise ou
toute la grappe. Aucun responsable ne consulte les souhaits privés d'un salarié. Le club RH
ne voit que des chiffres agrégés, jamais des données individuelles.

Article 7 – Pas de notation des personnes

La coopérative ne note pas les personnes et ne classe ni les formateurs ni les apprenants.
Les avis laissés après une session sont lus par le formateur seul. Les réussites collectives
sont reconnues comme collectives.

Article 8 – Droit à la déconnexion

Aucune notification n'est envoyée en dehors des heures de travail. Personne n'est tenu de
répondre à un message de la coopérative pendant ses congés, ses repos ou le soir.

Article 9 – Les données restent à la coopérative

Les données sont hébergées par la coopérative elle-même, sans service tiers, sans publicité ni
mesure d'audience. Chaque membre peut télécharger toutes les données qui le concernent et
fermer son compte : son identité est alors effacée, ses contributions restent anonymes.

Article 10 – Des personnes à côté de l'écran

Tout ce qui compte peut être imprimé, et un formulaire papier peut être saisi par un
correspondant. Un correspondant peut agir pour un membre qui le lui demande, ouvertement et
avec son accord.

Article 11 – Évolution de la charte

La charte est révisée par la coopérative. Chaque nouvelle version est publiée et doit être
acceptée à la connexion suivante ; les versions précédentes restent consultables.
"""
