"""Sample filled workbooks: six roadmaps and the seed's twelve example actions.

They let ``run`` work on a fresh clone and give the follow-up something to show: an
orange and a red weather, tasks late at 31/05/2018, an action whose May indicator values
are missing, and axis 4 announcing an action (A4.2) that has no sheet yet. Otherwise the
content is clean: no value the validation would reject. Files are written through the
templates' ``prefill``, so they are exactly what a group would return, and byte for byte
reproducible.

    python -m innova_reports.template.samples --output workbooks
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innova_reports.fields import ACTION, ROADMAP
from innova_reports.settings import Settings, SettingsError, load_settings
from innova_reports.support.oserrors import french_reason
from innova_reports.template.writer import write_template

D = dt.date
SAMPLE_MONTHS = ("2018-01", "2018-02", "2018-03", "2018-04", "2018-05")


@dataclass(frozen=True)
class SampleAction:
    code: str
    titre: str
    statut: str
    meteo: str
    date_maj: dt.date
    service_pilote: str
    chef_projet: str
    elu_referent: str
    contexte: str
    finalites: str
    contenu: str
    contributeurs: str
    moyens_humains: str
    budget_eur: float | None
    moyens_materiels: str
    # (tache, responsable, debut, fin, statut, avancement, commentaire)
    taches: tuple[tuple[str, str, dt.date, dt.date, str, float, str], ...]
    # (indicateur, unite, sens, valeur_initiale, cible, echeance, values Jan..May)
    indicateurs: tuple[tuple[str, str, str, float, float, dt.date, tuple], ...]

    @property
    def axe(self) -> int:
        return int(self.code[1 : self.code.index(".")])


def _t(tache, responsable, debut, fin, statut, avancement, commentaire=""):
    return (tache, responsable, debut, fin, statut, avancement, commentaire)


ACTIONS: tuple[SampleAction, ...] = (
    SampleAction(
        "A1.1", "Renforcer la qualité de l'accueil des usagers", "En cours", "Vert",
        D(2018, 5, 14), "Accueil et citoyenneté", "Claire Delmas",
        "Martine Faure, adjointe à la citoyenneté",
        "Les usagers attendent longtemps aux guichets et au téléphone ; les réponses aux "
        "courriers dépassent souvent trois semaines.",
        "Réduire les délais de réponse et harmoniser la qualité de l'accueil dans les "
        "trois collectivités.",
        "Diagnostic des points d'accueil, charte d'accueil commune, formation des agents, "
        "enquête de satisfaction semestrielle.",
        "Agents d'accueil de la mairie, du CCAS et de l'agglomération ; service communication.",
        "Une chargée de mission à mi-temps pendant six mois ; 2 jours de formation par agent.",
        8500, "Bornes de file d'attente, signalétique des accueils.",
        (
            _t("Diagnostic des points d'accueil", "Claire Delmas", D(2018, 1, 8), D(2018, 2, 16), "Fait", 1),
            _t("Rédaction de la charte d'accueil", "Claire Delmas", D(2018, 2, 19), D(2018, 3, 30), "Fait", 1),
            _t("Validation de la charte en comité de direction", "Martine Faure", D(2018, 4, 3), D(2018, 4, 17), "Fait", 1),
            _t("Formation des agents d'accueil", "Service formation", D(2018, 4, 23), D(2018, 6, 29), "En cours", 0.4),
            _t("Enquête de satisfaction des usagers", "Claire Delmas", D(2018, 6, 4), D(2018, 6, 29), "À faire", 0),
        ),
        (
            ("Délai moyen de réponse aux courriers", "jours", "Baisse", 21, 10, D(2018, 12, 31), (21, 20, 18, 16, 15)),
            ("Usagers satisfaits de l'accueil", "%", "Hausse", 72, 90, D(2018, 12, 31), (72, 72, 75, 78, 80)),
        ),
    ),
    SampleAction(
        "A1.2", "Aller à la rencontre des usagers (quartiers, relais de proximité)", "En cours",
        "Orange", D(2018, 5, 22), "Action sociale (CCAS)", "Yannick Bordas",
        "Hélène Vialle, adjointe aux solidarités",
        "Une partie de la population, âgée ou éloignée du centre-ville, ne vient pas aux "
        "guichets et renonce à ses droits.",
        "Rapprocher les services des habitants des quartiers et mieux connaître leurs besoins.",
        "Permanences mensuelles dans les maisons de quartier, relais de proximité chez des "
        "partenaires, bus itinérant les jours de marché.",
        "CCAS, maisons de quartier, centres sociaux, police municipale.",
        "Deux agents du CCAS une demi-journée par semaine.",
        12000, "Ordinateurs portables, connexion mobile, kakémonos.",
        (
            _t("Recensement des lieux de permanence", "Yannick Bordas", D(2018, 1, 15), D(2018, 2, 28), "Fait", 1),
            _t("Conventions avec les centres sociaux", "Hélène Vialle", D(2018, 3, 1), D(2018, 4, 30), "En cours", 0.6,
               "Deux conventions sur quatre signées : retard des conseils d'administration."),
            _t("Première permanence à Tujac", "Yannick Bordas", D(2018, 3, 5), D(2018, 3, 5), "Fait", 1),
            _t("Équipement du bus itinérant", "Services techniques", D(2018, 4, 2), D(2018, 5, 25), "En cours", 0.3,
               "Devis en attente."),
            _t("Bilan à six mois", "Yannick Bordas", D(2018, 9, 3), D(2018, 9, 28), "À faire", 0),
        ),
        (
            ("Permanences tenues dans les quartiers", "nombre", "Hausse", 0, 24, D(2018, 12, 31), (0, 0, 2, 4, 6)),
            ("Usagers reçus en relais de proximité", "nombre", "Hausse", 0, 600, D(2018, 12, 31), (0, 0, 35, 80, 128)),
        ),
    ),
    SampleAction(
        "A2.1", "Planification des actions récurrentes et nouvelles", "En cours", "Vert",
        D(2018, 5, 9), "Services techniques", "Bernard Lachaud",
        "Jean-Louis Estrade, adjoint aux travaux",
        "Les interventions techniques sont décidées au fil de l'eau ; les urgences "
        "désorganisent les équipes et les usagers ne savent pas quand les travaux auront lieu.",
        "Prioriser les interventions et planifier les travaux récurrents sur l'année.",
        "Inventaire des interventions récurrentes, calendrier annuel partagé, règles de "
        "priorisation des demandes nouvelles, point hebdomadaire de planification.",
        "Services techniques, espaces verts, propreté, systèmes d'information.",
        "Un agent de planification à temps plein.",
        4000, "Module de planification du logiciel de gestion des interventions.",
        (
            _t("Inventaire des interventions récurrentes", "Bernard Lachaud", D(2018, 1, 8), D(2018, 2, 9), "Fait", 1),
            _t("Règles de priorisation des demandes", "Bernard Lachaud", D(2018, 2, 12), D(2018, 3, 16), "Fait", 1),
            _t("Paramétrage du module de planification", "Systèmes d'information", D(2018, 3, 19), D(2018, 5, 18), "En cours", 0.8),
            _t("Calendrier annuel partagé", "Bernard Lachaud", D(2018, 4, 2), D(2018, 6, 15), "En cours", 0.5),
            _t("Point hebdomadaire de planification", "Chefs d'équipe", D(2018, 4, 9), D(2018, 12, 21), "En cours", 0.3),
            _t("Bilan de la première saison", "Bernard Lachaud", D(2018, 10, 1), D(2018, 10, 31), "À faire", 0),
        ),
        (
            ("Interventions planifiées plus de 15 jours à l'avance", "%", "Hausse", 35, 70, D(2018, 12, 31), (35, 38, 44, 51, 55)),
            ("Demandes d'intervention urgentes", "nombre par mois", "Baisse", 120, 80, D(2018, 12, 31), (118, 121, 109, 102, 97)),
        ),
    ),
    SampleAction(
        "A2.2", "Création d'une cellule de gestion de projets", "En cours", "Orange",
        D(2018, 5, 3), "Direction générale des services", "Sophie Marcou",
        "Philippe Roux, adjoint aux finances",
        "Les projets transversaux manquent de pilotage : pas de vue d'ensemble, des "
        "calendriers qui se chevauchent, des arbitrages tardifs.",
        "Disposer d'une vue d'ensemble des projets et aider à prioriser les actions stratégiques.",
        "Création d'une cellule de trois personnes, portefeuille des projets, fiche de "
        "cadrage type, revue mensuelle en comité de direction.",
        "Direction générale, finances, ressources humaines.",
        "Trois agents redéployés, dont un à temps plein.",
        None, "Un bureau partagé, un outil de suivi de portefeuille.",
        (
            _t("Lettre de mission de la cellule", "Sophie Marcou", D(2018, 1, 15), D(2018, 2, 2), "Fait", 1),
            _t("Recrutement interne des membres", "Ressources humaines", D(2018, 2, 5), D(2018, 4, 13), "En cours", 0.7,
               "Un poste reste à pourvoir."),
            _t("Fiche de cadrage type", "Sophie Marcou", D(2018, 3, 1), D(2018, 3, 30), "Fait", 1),
            _t("Portefeuille des projets en cours", "Sophie Marcou", D(2018, 3, 15), D(2018, 5, 31), "En cours", 0.5),
            _t("Première revue en comité de direction", "Sophie Marcou", D(2018, 6, 11), D(2018, 6, 11), "À faire", 0),
        ),
        (
            ("Projets suivis par la cellule", "nombre", "Hausse", 0, 15, D(2018, 12, 31), (0, 0, 3, 6, None)),
            ("Projets disposant d'une fiche de cadrage", "%", "Hausse", 10, 80, D(2018, 12, 31), (10, 10, 15, 25, None)),
        ),
    ),
    SampleAction(
        "A3.1", "Dématérialisation des procédures", "En cours", "Rouge",
        D(2018, 5, 28), "Systèmes d'information", "Laurent Peyrat",
        "Philippe Roux, adjoint aux finances",
        "Les circuits papier (délibérations, bons de commande, demandes d'état civil) "
        "ralentissent les réponses et coûtent cher.",
        "Simplifier les démarches des usagers et des agents en dématérialisant les procédures.",
        "Choix d'un parapheur électronique, mise en ligne des démarches les plus demandées, "
        "formation des agents.",
        "Systèmes d'information, état civil, finances, assemblées.",
        "Un chef de projet informatique, des référents dans chaque service.",
        45000, "Parapheur électronique, portail de démarches en ligne.",
        (
            _t("Recensement des procédures papier", "Laurent Peyrat", D(2018, 1, 8), D(2018, 2, 9), "Fait", 1),
            _t("Consultation pour le parapheur électronique", "Finances et commande publique", D(2018, 2, 12), D(2018, 4, 6), "Fait", 1),
            _t("Installation du parapheur", "Laurent Peyrat", D(2018, 4, 9), D(2018, 5, 11), "En cours", 0.2,
               "Retard de l'éditeur : connecteur avec le logiciel financier non livré."),
            _t("Mise en ligne des demandes d'actes d'état civil", "État civil", D(2018, 3, 5), D(2018, 4, 27), "En cours", 0.6,
               "Bloqué par l'installation du parapheur."),
            _t("Formation des référents", "Laurent Peyrat", D(2018, 6, 4), D(2018, 6, 29), "À faire", 0),
            _t("Délibérations dématérialisées", "Service des assemblées", D(2018, 9, 3), D(2018, 10, 31), "À faire", 0),
        ),
        (
            ("Démarches disponibles en ligne", "nombre", "Hausse", 4, 20, D(2018, 12, 31), (4, 4, 5, 6, 6)),
            ("Délibérations transmises sous forme électronique", "%", "Hausse", 0, 100, D(2018, 12, 31), (0, 0, 0, 0, 0)),
            ("Ramettes de papier consommées", "ramettes par mois", "Baisse", 420, 250, D(2018, 12, 31), (425, 410, 415, 398, 402)),
        ),
    ),
    SampleAction(
        "A3.2", "Projet d'administration", "En cours", "Vert",
        D(2018, 5, 16), "Direction générale des services", "Anne Chastang",
        "Frédéric Soulier, maire",
        "Les trois collectivités n'ont pas de projet commun qui donne du sens aux "
        "changements demandés aux agents.",
        "Développer une culture commune et donner un cap partagé aux agents des trois collectivités.",
        "Ateliers participatifs dans chaque direction, synthèse des valeurs et des "
        "engagements, présentation à tous les agents.",
        "Comité de direction, cadres volontaires, représentants du personnel.",
        "Animation par deux cadres formés à la facilitation.",
        6000, "Salles de réunion, supports d'animation.",
        (
            _t("Cadrage avec le comité de direction", "Anne Chastang", D(2018, 1, 10), D(2018, 1, 31), "Fait", 1),
            _t("Formation des animateurs d'ateliers", "Ressources humaines", D(2018, 2, 5), D(2018, 2, 23), "Fait", 1),
            _t("Ateliers dans les directions", "Animateurs", D(2018, 3, 5), D(2018, 6, 29), "En cours", 0.55),
            _t("Synthèse des contributions", "Anne Chastang", D(2018, 7, 2), D(2018, 7, 27), "À faire", 0),
            _t("Présentation du projet aux agents", "Frédéric Soulier", D(2018, 10, 8), D(2018, 10, 19), "À faire", 0),
        ),
        (
            ("Agents ayant participé aux ateliers", "nombre", "Hausse", 0, 400, D(2018, 6, 30), (0, 0, 64, 148, 231)),
            ("Ateliers tenus", "nombre", "Hausse", 0, 24, D(2018, 6, 30), (0, 0, 4, 9, 14)),
        ),
    ),
    SampleAction(
        "A3.3", "Communication interne", "En cours", "Vert",
        D(2018, 5, 18), "Communication", "Marion Lafon",
        "Frédéric Soulier, maire",
        "Les agents apprennent souvent les décisions par la presse ; l'information circule "
        "mal entre les trois collectivités.",
        "Informer tous les agents des projets et des décisions, et faire connaître le programme.",
        "Lettre interne mensuelle, intranet commun, affichage dans les sites sans poste "
        "informatique.",
        "Communication, systèmes d'information, correspondants dans chaque service.",
        "Une chargée de communication interne à mi-temps.",
        7500, "Intranet, écrans d'affichage dans les ateliers.",
        (
            _t("Réseau de correspondants communication", "Marion Lafon", D(2018, 1, 15), D(2018, 2, 16), "Fait", 1),
            _t("Maquette de la lettre interne", "Marion Lafon", D(2018, 2, 1), D(2018, 2, 28), "Fait", 1),
            _t("Publication mensuelle de la lettre", "Marion Lafon", D(2018, 3, 1), D(2018, 12, 31), "En cours", 0.3),
            _t("Ouverture de l'intranet commun", "Systèmes d'information", D(2018, 3, 12), D(2018, 6, 29), "En cours", 0.5),
            _t("Écrans d'affichage dans les ateliers", "Services techniques", D(2018, 5, 2), D(2018, 7, 13), "En cours", 0.1),
        ),
        (
            ("Lettres internes publiées", "nombre", "Hausse", 0, 10, D(2018, 12, 31), (0, 0, 1, 2, 3)),
            ("Taux d'ouverture de la lettre interne", "%", "Hausse", 0, 60, D(2018, 12, 31), (0, 0, 38, 44, 47)),
        ),
    ),
    SampleAction(
        "A4.1", "Simplification des circuits de décision", "En cours", "Orange",
        D(2018, 5, 25), "Direction générale des services", "Patrick Chassagne",
        "Philippe Roux, adjoint aux finances",
        "Un bon de commande passe par cinq signatures ; les décisions simples attendent "
        "plusieurs semaines.",
        "Réduire les délais du circuit de décision et responsabiliser les cadres.",
        "Cartographie des circuits, délégations de signature, suppression des validations "
        "sans valeur ajoutée.",
        "Direction générale, finances, affaires juridiques, chefs de service.",
        "Un groupe de cinq cadres, deux réunions par mois.",
        None, "Aucun moyen matériel particulier.",
        (
            _t("Cartographie des circuits de décision", "Patrick Chassagne", D(2018, 1, 15), D(2018, 3, 2), "Fait", 1),
            _t("Propositions de délégations de signature", "Affaires juridiques", D(2018, 3, 5), D(2018, 4, 13), "En cours", 0.75,
               "Arbitrage des élus attendu."),
            _t("Arrêtés de délégation", "Affaires juridiques", D(2018, 4, 16), D(2018, 5, 18), "À faire", 0,
               "Dépend de l'arbitrage des élus."),
            _t("Nouveau circuit des bons de commande", "Finances et commande publique", D(2018, 5, 22), D(2018, 7, 13), "À faire", 0),
        ),
        (
            ("Délai moyen de signature d'un bon de commande", "jours", "Baisse", 12, 5, D(2018, 12, 31), (12, 12, 11, 11, 10)),
            ("Niveaux de validation d'un bon de commande", "nombre", "Baisse", 5, 3, D(2018, 12, 31), (5, 5, 5, 5, 5)),
        ),
    ),
    SampleAction(
        "A5.1", "Plateforme « guide mode projet »", "En cours", "Vert",
        D(2018, 5, 11), "Systèmes d'information", "Émilie Bouyssou",
        "Philippe Roux, adjoint aux finances",
        "Chaque service conduit ses projets à sa façon ; les expériences ne sont pas partagées.",
        "Partager une culture commune du mode projet et l'expérience des chefs de projet.",
        "Plateforme en ligne réunissant méthodes, modèles de documents et retours "
        "d'expérience, animée par une communauté de chefs de projet.",
        "Chefs de projet volontaires, systèmes d'information, cellule de gestion de projets.",
        "Un administrateur de la plateforme, dix contributeurs réguliers.",
        3000, "Espace collaboratif sur l'intranet.",
        (
            _t("Choix de l'outil", "Systèmes d'information", D(2018, 1, 8), D(2018, 2, 2), "Fait", 1),
            _t("Arborescence et modèles de documents", "Émilie Bouyssou", D(2018, 2, 5), D(2018, 3, 30), "Fait", 1),
            _t("Rédaction des premières fiches méthode", "Contributeurs", D(2018, 3, 5), D(2018, 6, 29), "En cours", 0.5),
            _t("Ouverture de la plateforme aux cadres", "Émilie Bouyssou", D(2018, 4, 16), D(2018, 4, 16), "Fait", 1),
            _t("Ateliers de présentation", "Émilie Bouyssou", D(2018, 5, 14), D(2018, 6, 22), "En cours", 0.25),
        ),
        (
            ("Fiches méthode publiées", "nombre", "Hausse", 0, 25, D(2018, 12, 31), (0, 0, 3, 8, 12)),
            ("Visites mensuelles de la plateforme", "nombre", "Hausse", 0, 500, D(2018, 12, 31), (0, 0, 0, 140, 260)),
        ),
    ),
    SampleAction(
        "A6.1", "École de formation interne", "En cours", "Vert",
        D(2018, 5, 15), "Ressources humaines", "Isabelle Monteil",
        "Sylvie Lacombe, adjointe au personnel",
        "Les compétences des agents ne sont pas assez partagées ; les formations externes "
        "sont coûteuses et éloignées.",
        "Valoriser les savoir-faire des agents et des managers en les transmettant en interne.",
        "Recensement des formateurs internes, catalogue de formations, formation de "
        "formateurs, sessions mensuelles.",
        "Ressources humaines, agents formateurs volontaires, managers.",
        "Une conseillère formation, vingt formateurs internes.",
        15000, "Salle de formation équipée, vidéoprojecteur.",
        (
            _t("Appel à formateurs internes", "Isabelle Monteil", D(2018, 1, 8), D(2018, 2, 9), "Fait", 1),
            _t("Formation des formateurs", "Organisme extérieur", D(2018, 2, 19), D(2018, 3, 23), "Fait", 1),
            _t("Catalogue des formations internes", "Isabelle Monteil", D(2018, 3, 1), D(2018, 4, 20), "Fait", 1),
            _t("Sessions de formation", "Formateurs internes", D(2018, 4, 23), D(2018, 12, 14), "En cours", 0.2),
            _t("Évaluation des sessions", "Isabelle Monteil", D(2018, 6, 1), D(2018, 12, 21), "À faire", 0),
        ),
        (
            ("Sessions de formation interne", "nombre", "Hausse", 0, 30, D(2018, 12, 31), (0, 0, 0, 2, 5)),
            ("Agents formés par des formateurs internes", "nombre", "Hausse", 0, 250, D(2018, 12, 31), (0, 0, 0, 18, 47)),
        ),
    ),
    SampleAction(
        "A6.2", "Séminaire de cadres", "Terminée", "Vert",
        D(2018, 5, 4), "Ressources humaines", "Karim Benali",
        "Sylvie Lacombe, adjointe au personnel",
        "Les cadres des trois collectivités se connaissent peu et partagent rarement leurs "
        "pratiques de management.",
        "Valoriser la fonction de manager et créer un réseau de cadres.",
        "Séminaire d'une journée : conférence, ateliers d'échange de pratiques, restitution "
        "à la direction générale.",
        "Ressources humaines, direction générale, cadres volontaires pour l'organisation.",
        "Quatre organisateurs, un intervenant extérieur.",
        9000, "Salle de conférence, restauration.",
        (
            _t("Programme du séminaire", "Karim Benali", D(2018, 1, 15), D(2018, 2, 16), "Fait", 1),
            _t("Réservation de la salle et du traiteur", "Karim Benali", D(2018, 2, 1), D(2018, 3, 2), "Fait", 1),
            _t("Inscriptions des cadres", "Ressources humaines", D(2018, 3, 5), D(2018, 4, 6), "Fait", 1),
            _t("Séminaire", "Karim Benali", D(2018, 4, 12), D(2018, 4, 12), "Fait", 1),
            _t("Compte rendu et questionnaire de satisfaction", "Karim Benali", D(2018, 4, 13), D(2018, 4, 30), "Fait", 1),
        ),
        (
            ("Cadres présents au séminaire", "nombre", "Hausse", 0, 80, D(2018, 4, 30), (0, 0, 0, 74, 74)),
            ("Participants satisfaits", "%", "Hausse", 0, 85, D(2018, 4, 30), (0, 0, 0, 91, 91)),
        ),
    ),
    SampleAction(
        "A6.3", "Journée de cohésion", "À lancer", "Orange",
        D(2018, 5, 30), "Ressources humaines", "Céline Rivière",
        "Sylvie Lacombe, adjointe au personnel",
        "Les équipes des trois collectivités travaillent côte à côte sans se rencontrer.",
        "Améliorer la cohésion des équipes par une journée conviviale ouverte à tous les agents.",
        "Journée sportive et culturelle en septembre, préparée avec le comité d'œuvres sociales.",
        "Ressources humaines, sports, culture, comité d'œuvres sociales.",
        "Un comité d'organisation de huit agents.",
        18000, "Site d'accueil, matériel sportif, navettes.",
        (
            _t("Constitution du comité d'organisation", "Céline Rivière", D(2018, 3, 1), D(2018, 3, 30), "Fait", 1),
            _t("Choix du lieu et de la date", "Céline Rivière", D(2018, 4, 2), D(2018, 4, 30), "En cours", 0.5,
               "Deux sites possibles, arbitrage en attente."),
            _t("Programme des activités", "Sports", D(2018, 5, 2), D(2018, 5, 25), "À faire", 0),
            _t("Inscriptions des agents", "Ressources humaines", D(2018, 6, 4), D(2018, 7, 13), "À faire", 0),
            _t("Journée de cohésion", "Céline Rivière", D(2018, 9, 14), D(2018, 9, 14), "À faire", 0),
        ),
        (
            ("Agents inscrits", "nombre", "Hausse", 0, 600, D(2018, 9, 14), (0, 0, 0, 0, 0)),
            ("Services représentés au comité d'organisation", "nombre", "Hausse", 0, 8, D(2018, 9, 14), (0, 0, 5, 6, 6)),
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class SampleRoadmap:
    axe: int
    date_maj: dt.date
    contexte: str
    presentation: str
    # (code, intitule, description) of actions announced without a sheet yet
    extra_actions: tuple[tuple[str, str, str], ...] = ()


ROADMAPS: tuple[SampleRoadmap, ...] = (
    SampleRoadmap(1, D(2018, 5, 7),
        "Les usagers jugent les démarches complexes et les délais de réponse trop longs ; "
        "l'action des services est mal connue de la population.",
        "Le groupe propose d'améliorer l'accueil dans tous les points de contact et d'aller "
        "vers les habitants qui ne viennent pas aux guichets."),
    SampleRoadmap(2, D(2018, 5, 4),
        "Les priorités changent au fil des urgences ; les besoins de la population sont "
        "connus de façon partielle et les travaux sont peu planifiés.",
        "Le groupe propose de planifier les interventions récurrentes et de créer une cellule "
        "qui donne une vue d'ensemble des projets."),
    SampleRoadmap(3, D(2018, 5, 15),
        "Des procédures lourdes et papier, des pratiques différentes d'une collectivité à "
        "l'autre, une information interne qui circule mal.",
        "Le groupe propose trois actions : dématérialiser les procédures, bâtir un projet "
        "d'administration commun et renforcer la communication interne."),
    SampleRoadmap(4, D(2018, 5, 23),
        "L'information circule mal entre services et les circuits de décision comptent "
        "trop d'étapes.",
        "Le groupe propose de simplifier les circuits de décision et d'organiser la "
        "circulation de l'information entre services ; la seconde action est en cours de "
        "rédaction.",
        (("A4.2", "Circulation de l'information entre services",
          "Comptes rendus partagés des comités de direction et réunions de services "
          "régulières."),)),
    SampleRoadmap(5, D(2018, 5, 10),
        "Les projets transversaux sont conduits sans méthode commune et les expériences "
        "réussies ne sont pas partagées.",
        "Le groupe propose une plateforme « guide mode projet » ; une seconde action sera "
        "proposée au prochain comité de pilotage."),
    SampleRoadmap(6, D(2018, 5, 2),
        "Les managers se sentent peu reconnus et les équipes des trois collectivités se "
        "connaissent mal.",
        "Le groupe propose une école de formation interne, un séminaire de cadres et une "
        "journée de cohésion."),
)  # fmt: skip


def action_values(action: SampleAction) -> dict[str, Any]:
    """Single fields and table rows of one action sheet, as ``prefill`` wants them."""
    fields = {
        name: getattr(action, name)
        for name in ("titre", "statut", "meteo", "date_maj", "service_pilote", "chef_projet",
                     "elu_referent", "contexte", "finalites", "contenu", "contributeurs",
                     "moyens_humains", "budget_eur", "moyens_materiels")
    }  # fmt: skip
    fields.update(code_action=action.code, axe=action.axe)
    task_ids = ("tache", "responsable", "debut", "fin", "statut", "avancement", "commentaire")
    tasks = [
        {key: value for key, value in zip(task_ids, task, strict=True) if value != ""}
        for task in action.taches
    ]
    return {"fields": fields, "tables": {"t_taches": tasks, "t_indicateurs": _indicators(action)}}


def _indicators(action: SampleAction) -> list[dict[str, Any]]:
    from innova_reports.fields import month_field_id

    rows = []
    for name, unit, direction, initial, target, deadline, values in action.indicateurs:
        row = {"indicateur": name, "unite": unit, "sens": direction,
               "valeur_initiale": initial, "cible": target, "echeance": deadline}  # fmt: skip
        for month, value in zip(SAMPLE_MONTHS, values, strict=True):
            if value is not None:
                row[month_field_id(month)] = value
        rows.append(row)
    return rows


def roadmap_values(roadmap: SampleRoadmap, settings: Settings) -> dict[str, Any]:
    """The roadmap of one axis: its actions come from the sample action sheets."""
    axis = settings.axis(roadmap.axe)
    pilot = axis.pilots[0].name
    actions = [
        {"code": a.code, "intitule": a.titre, "description": a.finalites}
        for a in ACTIONS
        if a.axe == roadmap.axe
    ]
    actions += [
        {"code": code, "intitule": title, "description": text}
        for code, title, text in roadmap.extra_actions
    ]
    fields = {
        "axe": axis.number,
        "groupe": f"Groupe projet {axis.short_name}",
        "pilote": pilot,
        "date_maj": roadmap.date_maj,
        "contexte": roadmap.contexte,
        "finalites": " ; ".join(axis.finalities) + ".",
        "presentation": roadmap.presentation,
    }
    tables = {
        "t_actions": actions,
        "t_acteurs": _actors(roadmap.axe, pilot, settings),
        "t_calendrier": _milestones(settings),
        "t_moyens": _means(roadmap.axe),
        "t_livrables": _deliverables(),
    }
    return {"fields": fields, "tables": tables}


def _actors(axe: int, pilot: str, settings: Settings) -> list[dict[str, Any]]:
    chiefs = [a for a in ACTIONS if a.axe == axe]
    councils = settings.councils
    rows = [{"nom": pilot, "role": "Pilote du groupe", "service": chiefs[0].service_pilote,
             "collectivite": councils[0]}]  # fmt: skip
    for position, action in enumerate(chiefs):
        rows.append({"nom": action.chef_projet, "role": f"Chef de projet {action.code}",
                     "service": action.service_pilote,
                     "collectivite": councils[position % len(councils)]})  # fmt: skip
    rows.append({"nom": chiefs[0].elu_referent.split(",")[0], "role": "Élu·e référent·e",
                 "service": "Élus", "collectivite": councils[0]})  # fmt: skip
    return rows


def _milestones(settings: Settings) -> list[dict[str, Any]]:
    first, second, third = settings.copil_dates[:3]
    return [
        {"jalon": "Installation du groupe projet", "date_prevue": D(2018, 1, 12),
         "date_realisee": D(2018, 1, 12), "statut": "Atteint"},
        {"jalon": "Feuille de route présentée au 1er comité de pilotage", "date_prevue": first,
         "date_realisee": first, "statut": "Atteint"},
        {"jalon": "Rédaction des fiches action", "date_prevue": D(2018, 4, 30),
         "date_realisee": D(2018, 4, 27), "statut": "Atteint"},
        {"jalon": "Fiches action présentées au 2e comité de pilotage", "date_prevue": second,
         "statut": "Prévu"},
        {"jalon": "Plan d'actions adopté au 3e comité de pilotage", "date_prevue": third,
         "statut": "Prévu"},
    ]  # fmt: skip


def _means(axe: int) -> list[dict[str, Any]]:
    actions = [a for a in ACTIONS if a.axe == axe]
    budget = sum(a.budget_eur or 0 for a in actions)
    rows = [{"nature": "Humains", "description": "; ".join(a.moyens_humains for a in actions)}]
    if budget:
        rows.append({"nature": "Financiers", "description": "Budget cumulé des actions.",
                     "montant_eur": budget})  # fmt: skip
    rows.append(
        {"nature": "Matériels", "description": "; ".join(a.moyens_materiels for a in actions)}
    )
    return rows


def _deliverables() -> list[dict[str, Any]]:
    return [
        {"livrable": "Feuille de route de l'axe", "echeance": D(2018, 2, 15), "statut": "Livré"},
        {"livrable": "Fiches action", "echeance": D(2018, 5, 24), "statut": "En cours"},
        {"livrable": "Bilan annuel de l'axe", "echeance": D(2018, 12, 14), "statut": "À produire"},
    ]  # fmt: skip


# -- writing ----------------------------------------------------------------------------


def sample_paths(output_dir: Path) -> dict[str, Path]:
    """Where each sample goes: "axe-<n>" for roadmaps, the action code for sheets."""
    output_dir = Path(output_dir)
    paths = {
        f"axe-{r.axe}": output_dir / f"axe-{r.axe}" / f"feuille_de_route_axe-{r.axe}.xlsx"
        for r in ROADMAPS
    }
    for action in ACTIONS:
        paths[action.code] = output_dir / f"axe-{action.axe}" / f"fiche_action_{action.code}.xlsx"
    return paths


def write_samples(settings: Settings, output_dir: Path) -> list[Path]:
    """Write the six roadmaps and twelve action sheets; return the paths written."""
    paths = sample_paths(output_dir)
    written = []
    for roadmap in ROADMAPS:
        path = paths[f"axe-{roadmap.axe}"]
        written.append(write_template(ROADMAP, settings, path,
                                      prefill=roadmap_values(roadmap, settings)))  # fmt: skip
    for action in ACTIONS:
        written.append(write_template(ACTION, settings, paths[action.code],
                                      prefill=action_values(action)))  # fmt: skip
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m innova_reports.template.samples",
        description="Génère les classeurs d'exemple (6 feuilles de route, 12 fiches action).",
    )
    parser.add_argument("--output", type=Path, default=Path("workbooks"),
                        help="dossier de destination (par défaut : workbooks)")  # fmt: skip
    parser.add_argument("--settings", type=Path, default=Path("programme.toml"),
                        help="fichier des paramètres (par défaut : programme.toml)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        written = write_samples(load_settings(args.settings), args.output)
    except SettingsError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"Erreur : impossible d'écrire dans « {args.output} » : {french_reason(exc)}.",
            file=sys.stderr,
        )
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
