"""Every issue type, once: its stable id, its default severity and its French template.

An issue a group or the coordinator reads is always made here, by ``issue`` (or, for a
file that is refused before it is read, by ``refusal``), from the entry of its type:
the message is the entry's template filled with the values of the place. So one grep
finds a message, a test renders every type (tests/test_catalogue.py), and changing a
wording or a severity is one edit.

Templates are ``str.format`` strings. The placeholders every issue may use are
``{label}`` (the field's French label), ``{value}`` (the value as the user sees it),
``{cell}``, ``{sheet}`` and ``{where}`` (« la cellule E12 de la feuille Tâches »);
the others are named by the caller. A user's text is only ever a value of a
placeholder, never part of a template, so braces in it are not interpreted.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from innova_reports.report.issue import Issue, Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class IssueType:
    """One kind of problem: what the tests, the master's Anomalies sheet and the JSON
    report call it (``type``), how serious it is by default, and what it says."""

    type: str
    severity: Severity
    template: str


def _types(*entries: IssueType) -> dict[str, IssueType]:
    catalogue: dict[str, IssueType] = {}
    for entry in entries:
        if entry.type in catalogue:
            raise ValueError(f"issue type declared twice: {entry.type}")
        catalogue[entry.type] = entry
    return catalogue


_SAVE_AS_XLSX = (
    "ouvrez-le dans Excel et enregistrez-le au format « Classeur Excel (.xlsx) », ou dans "
    "LibreOffice au format « Classeur ODF (.ods) » ; ou mieux, recopiez vos saisies dans "
    "le modèle fourni."
)
_SAVE_AS_ODS = (
    "dans LibreOffice, choisissez Fichier › Enregistrer sous… et le type « Classeur ODF "
    "(.ods) », le format habituel de LibreOffice, puis renvoyez ce fichier."
)
_EXPORT_NUMBERS = (
    "dans Numbers, choisissez Fichier › Exporter vers › Excel…, puis renvoyez le fichier "
    ".xlsx obtenu."
)
_FROM_TEMPLATE = "Repartez du modèle fourni et renvoyez-le."

CATALOGUE: dict[str, IssueType] = _types(
    # -- files found in the folder, and files refused before reading (read/files, safety)
    IssueType("fichier-ignore", INFO, "{reason}"),
    IssueType("fichier-vide", ERROR,
              "Le fichier est vide (0 octet) : il a sans doute été mal enregistré ou mal "
              "copié. Enregistrez à nouveau le classeur rempli et renvoyez-le."),
    IssueType("pas-un-zip", ERROR,
              "Ce fichier n'est pas un classeur Excel (.xlsx) ni LibreOffice (.ods) : {what}. "
              "Renvoyez le modèle rempli, enregistré au format .xlsx ou .ods."),
    IssueType("protege-par-mot-de-passe", ERROR,
              "Le classeur est protégé par un mot de passe à l'ouverture : il ne peut pas "
              "être lu. Enlevez le mot de passe (dans Excel : Fichier › Informations › "
              "Protéger le classeur › Chiffrer avec mot de passe, puis videz le champ ; dans "
              "LibreOffice : Fichier › Enregistrer sous…, décochez « Enregistrer avec mot de "
              "passe »), enregistrez et renvoyez le fichier."),
    *(
        IssueType(kind, ERROR, template + advice)
        for format, advice in (("xls", _SAVE_AS_XLSX), ("html", _SAVE_AS_XLSX),
                               ("csv", _SAVE_AS_XLSX), ("fods", _SAVE_AS_ODS),
                               ("numbers", _EXPORT_NUMBERS))
        for kind, template in (
            (f"format-{format}", "Ce fichier est {what}, un format qui n'est pas lu (seuls "
                                 "les classeurs .xlsx et .ods le sont) : "),
            (f"{format}-renomme", "Ce fichier est en réalité {what} dont le nom a été changé "
                                  "en {suffix} : "),
        )
    ),  # fmt: skip
    IssueType("format-xlsb", ERROR,
              "Ce classeur est au format binaire Excel (.xlsb), qui n'est pas lu : "
              + _SAVE_AS_XLSX),
    IssueType("zip-tronque", ERROR,
              "Le classeur est abîmé ({damage}) : ouvrez-le, enregistrez-le à nouveau et "
              "renvoyez-le en entier."),
    IssueType("bombe-decompression", ERROR,
              "Le classeur a été refusé par sécurité : {detail}, bien au-delà de ce que pèse "
              "un modèle rempli (quelques dizaines de ko). " + _FROM_TEMPLATE),
    IssueType("pas-un-classeur", ERROR,
              "Ce fichier est une archive qui ne contient pas de classeur (un document texte, "
              "une présentation ou un dossier compressé, peut-être) : renvoyez le modèle "
              "rempli (.xlsx ou .ods)."),
    IssueType("xml-dangereux", ERROR,
              "Le classeur a été refusé par sécurité : sa partie {part} contient une "
              "déclaration DOCTYPE ou des entités XML, ce qu'Excel et LibreOffice n'écrivent "
              "jamais. " + _FROM_TEMPLATE),
    IssueType("trop-de-cellules", ERROR,
              "La feuille « {name} » contient plus de {limit} cellules remplies ou mises en "
              "forme : ce n'est plus un modèle rempli. " + _FROM_TEMPLATE),
    IssueType("trop-de-cellules-classeur", ERROR,
              "Le classeur contient plus de {limit} cellules remplies en tout : ce n'est plus "
              "un modèle rempli. " + _FROM_TEMPLATE),
    IssueType("trop-volumineux", ERROR,
              "Le fichier pèse plus de {megabytes} Mo, bien plus qu'un modèle rempli : "
              "repartez du modèle fourni (sans images ni feuilles ajoutées) et renvoyez-le."),
    IssueType("fichier-illisible", ERROR,
              "Le classeur n'a pas pu être lu ({what}) : ouvrez-le, enregistrez-le à nouveau "
              "au format .xlsx ou .ods et renvoyez-le."),
    IssueType("fichier-refuse", ERROR, "{reason}"),  # a refusal's own sentence
    IssueType("pas-un-modele", ERROR,
              "Ce classeur n'est pas un modèle INNOVA BRIVE (fiche action ou feuille de "
              "route) : téléchargez le modèle fourni, recopiez-y vos saisies et renvoyez-le."),
    IssueType("version-inconnue", ERROR,
              "Ce classeur est une version {version} du modèle, que ce programme ne sait pas "
              "lire (version attendue : {expected}) : recopiez vos saisies dans le modèle "
              "actuel et renvoyez-le."),
    IssueType("feuille-introuvable", ERROR,
              "La feuille « {name} » a été renommée ou supprimée : aucune de ses saisies n'a "
              "pu être lue. Remettez son nom d'origine, ou repartez du modèle fourni, puis "
              "renvoyez le classeur."),
    # -- reading a template (read/extract, read/sheet)
    IssueType("macros-ignorees", WARNING,
              "Le classeur contient des macros : elles n'ont pas été exécutées et ne le seront "
              "jamais ; seules les valeurs saisies ont été lues. Enregistrez de préférence au "
              "format .xlsx ou .ods (sans macros)."),
    IssueType("extension-trompeuse", WARNING,
              "Ce fichier est {what}, mais son nom finit par {suffix} : il a été lu "
              "normalement. Renommez-le en {expected} pour qu'Excel ou LibreOffice l'ouvre "
              "sans erreur."),
    IssueType("cellules-hors-zone", WARNING,
              "La feuille « {sheet} » contient des cellules très loin du modèle ({cells}) : "
              "elles ont été ignorées. Supprimez-les (sélectionnez-les et effacez leur "
              "contenu)."),
    IssueType("champ-introuvable", ERROR,
              "Le champ « {label} » est introuvable dans le classeur (son nom défini a été "
              "supprimé ou abîmé) : recopiez vos saisies dans le modèle fourni et "
              "renvoyez-le."),
    IssueType("cellule-fusionnee", WARNING,
              "La cellule {cell} (« {label} ») a été fusionnée avec {owner} : ce qui y était "
              "saisi est masqué ou a été effacé par la fusion. Annulez la fusion de ces "
              "cellules, vérifiez la valeur en {cell} et renvoyez le classeur."),
    IssueType("colonne-inconnue", INFO,
              "La colonne « {value} » du tableau « {table} » ne fait pas partie du modèle : "
              "elle est vide et a été ignorée."),
    IssueType("colonne-inconnue-remplie", WARNING,
              "La colonne « {value} » ({cell}) du tableau « {table} » ne fait pas partie du "
              "modèle : {taken} dans le plan d'actions. Si elle remplace une colonne du "
              "modèle{expected}, redonnez-lui son en-tête d'origine ; sinon, ces valeurs "
              "restent seulement dans votre fichier."),
    IssueType("colonne-en-double", WARNING,
              "La colonne « {value} » ({cell}) répète la colonne « {label} » du tableau "
              "« {table} » (en-tête en {first}) : seule la première a été lue, et dans "
              "celle-ci {taken}. Regroupez les valeurs dans une seule colonne « {label} »."),
    IssueType("colonne-renommee", WARNING,
              "L'en-tête « {value} » ({cell}) du tableau « {table} » a été compris comme la "
              "colonne « {label} » du modèle : ses valeurs ont été lues comme telles. "
              "Vérifiez-le, et remettez l'en-tête d'origine « {label} » pour lever le doute."),
    IssueType("colonne-manquante", ERROR,
              "La colonne obligatoire « {label} » du tableau « {table} » est introuvable : "
              "ses valeurs n'ont pas pu être lues (les autres colonnes l'ont été). "
              "Rétablissez l'en-tête « {label} » en ligne {row} de la feuille « {sheet} »."),
    IssueType("colonne-facultative-manquante", WARNING,
              "La colonne « {label} » du tableau « {table} » est introuvable : elle est "
              "facultative et les autres colonnes ont été lues. Si vous l'avez supprimée ou "
              "renommée par erreur, rétablissez l'en-tête « {label} » en ligne {row} de la "
              "feuille « {sheet} »."),
    IssueType("mois-absents", INFO,
              "Le tableau « {table} » n'a pas de colonne pour {months} : ces mois de suivi "
              "ont été ajoutés après la création de votre fichier. Pour les renseigner, "
              "repartez du classeur pré-rempli fourni par la coordination, ou ajoutez à "
              "droite du tableau les colonnes de ces mois (en-tête « {example} », etc.)."),
    IssueType("lignes-sous-tableau", WARNING,
              "{rows} de la feuille « {sheet} », saisies sous le tableau « {table} » après une "
              "ou deux lignes vides, {read_as} du tableau. Vérifiez, puis supprimez les lignes "
              "vides entre le tableau et ces saisies (ou ces saisies, si elles n'en font pas "
              "partie)."),
    IssueType("valeurs-hors-champs", WARNING,
              "{count} sur la feuille « {sheet} » hors des cellules à remplir ({cells}) : "
              "{taken} dans le plan d'actions. Recopiez ces saisies dans la cellule jaune de "
              "la rubrique qui convient, ou effacez-les."),
    IssueType("valeurs-hors-tableau", WARNING,
              "{count} hors du tableau « {table} », {place} ({cells}) : {taken} dans le plan "
              "d'actions. Recopiez ces saisies dans une ligne du tableau, ou effacez-les si "
              "elles n'en font pas partie."),
    IssueType("tableau-en-plage", WARNING,
              "Le tableau « {table} » a été converti en simple plage de cellules : ses "
              "valeurs ont été retrouvées sous ses en-têtes (ligne {row} de la feuille "
              "« {sheet} ») et lues. Pour la suite, repartez du fichier fourni par la "
              "coordination : ses tableaux guident la saisie et les listes déroulantes."),
    IssueType("tableau-introuvable", ERROR,
              "Le tableau « {table} » est introuvable dans le classeur : il a été supprimé ou "
              "converti en simple plage. Recopiez vos saisies dans le modèle fourni et "
              "renvoyez-le."),
    IssueType("valeur-erreur-excel", ERROR,
              "{label} : {where} affiche l'erreur de calcul {value} : corrigez la formule "
              "ou remplacez-la par la valeur attendue."),
    IssueType("formule-sans-valeur", WARNING,
              "{label} : {where} contient une formule dont le résultat n'a pas été "
              "enregistré : ouvrez le classeur dans Excel ou LibreOffice, enregistrez-le (le "
              "résultat sera calculé) et renvoyez-le, ou saisissez directement la valeur."),
    # -- a typed value that cannot be read (read/normalise; validate's list check too):
    # « Label : « x » — reason. Fix, dans la cellule … »
    *(
        IssueType(kind, severity, "{label} : {found}{reason}. {fix}, dans {where}.")
        for kind, severity in (
            ("date-invalide", ERROR), ("nombre-invalide", ERROR),
            ("pourcentage-invalide", ERROR), ("valeur-ambigue", ERROR),
            ("valeur-hors-liste", ERROR), ("texte-trop-long", WARNING),
            ("valeur-comprise", WARNING), ("valeur-hors-liste-actuelle", WARNING),
            ("valeur-pourcentage-unite", WARNING), ("valeur-pourcentage-douteuse", WARNING),
        )
    ),
    # -- programme rules on a batch (validate/schemas)
    IssueType("champ-obligatoire", ERROR,
              "Le champ « {label} » est obligatoire mais il est vide : complétez {where}."),
    IssueType("type-invalide", ERROR,
              "La valeur « {value} » du champ « {label} » n'est pas {expected} : corrigez "
              "{where}."),
    IssueType("code-action-invalide", ERROR,
              "Le code action « {value} » n'a pas la forme attendue A<axe>.<numéro> (par "
              "exemple A3.2) : corrigez {where}."),
    IssueType("code-action-axe-incoherent", ERROR,
              "Le code action « {value} » de {where} ne correspond pas à l'axe {axe} du "
              "document{axis_place} : il devrait commencer par A{axe}. Corrigez le code "
              "action ou le numéro d'axe, selon celui qui est faux."),
    IssueType("fin-avant-debut", ERROR,
              "La date de fin ({fin}) est antérieure à la date de début ({debut}) : corrigez "
              "{where}."),
    IssueType("date-maj-future", ERROR,
              "La date de mise à jour ({value}) est postérieure à aujourd'hui ({today}) : "
              "indiquez la date réelle de la mise à jour dans {where}."),
    IssueType("date-maj-avant-programme", ERROR,
              "La date de mise à jour ({value}) est antérieure au début du programme "
              "({start}) : corrigez {where}."),
    IssueType("avancement-hors-bornes", ERROR,
              "L'avancement ({value}) doit être compris entre 0 % et 100 % : corrigez "
              "{where}."),
    IssueType("tache-faite-incomplete", WARNING,
              "La tâche est marquée « {done} » mais son avancement est de {value} : indiquez "
              "100 % dans {where} ou changez le statut de la tâche."),
    IssueType("cible-incoherente", WARNING,
              "La cible ({cible}) ne va pas dans le sens « {sens} » par rapport à la valeur "
              "initiale ({valeur_initiale}) : vérifiez {where}, le sens ou la valeur "
              "initiale."),
    IssueType("valeur-mois-non-numerique", ERROR,
              "La valeur saisie pour {label} (« {value} ») n'est pas un nombre : saisissez "
              "uniquement un nombre dans {where}."),
    IssueType("valeur-mois-futur", WARNING,
              "Une valeur ({value}) est saisie pour {label}, un mois postérieur à la période "
              "consolidée ({period}) : vérifiez {where}."),
    IssueType("nombre-actions-annoncees", WARNING,
              "Nombre d'actions annoncées par la feuille de route : {value}, alors que "
              "{expected_range} actions sont attendues : complétez ou réduisez le tableau des "
              "actions de {where}."),
    IssueType("montant-negatif", ERROR,
              "Le montant ({value}) est négatif : saisissez un montant positif ou nul dans "
              "{where}."),
    IssueType("date-realisee-future", ERROR,
              "La date réalisée ({value}) est postérieure à aujourd'hui ({today}) : un jalon "
              "ne peut pas être atteint dans le futur ; corrigez {where}."),
    IssueType("jalon-atteint-sans-date", WARNING,
              "Le jalon est marqué « {reached} » mais sa date réalisée est vide : complétez "
              "{where}."),
    IssueType("controle-impossible", ERROR,
              "La valeur « {value} » du champ « {label} » n'a pas pu être contrôlée : "
              "vérifiez {where}."),
    # -- which files are consolidated (consolidate/selection)
    IssueType("fichier-ecarte", ERROR,
              "Ce fichier n'a pas été consolidé : {reason}. Corrigez puis renvoyez le fichier."),
    IssueType("doublon", WARNING,
              "{copies} fichiers pour {what} : « {winner} » a été retenu et ce fichier-ci "
              "écarté, car {rule}. Retirez du dossier le fichier qui n'est plus à jour."),
    # -- pre-filled workbooks (template/prefill): a value refused last month, put back
    IssueType("valeur-refusee-reprise", ERROR,
              "Valeur refusée lors de la dernière consolidation, reprise telle que vous "
              "l'aviez saisie (« {value} ») : {reason} Corrigez-la, puis renvoyez le fichier."),
    # -- writing the master workbook (xlsx/master)
    IssueType("texte-tronque", WARNING,
              "Texte de plus de 32 767 caractères : tronqué dans le classeur maître. "
              "Raccourcissez-le dans le fichier du groupe."),
    IssueType("tableau-tronque", WARNING,
              "Le tableau « {sheet} » compte {rows} lignes, plus qu'une feuille Excel n'en "
              "peut contenir : seules les {kept} premières figurent dans le classeur "
              "maître ; l'historique les garde toutes."),
)  # fmt: skip


def where(sheet: str, cell: str) -> str:
    """« la cellule E12 de la feuille « Tâches » », as far as the place is known."""
    if sheet and cell:
        return f"la cellule {cell} de la feuille « {sheet} »"
    if sheet:
        return f"la feuille « {sheet} »"
    return "le fichier"


def message(type: str, values: Mapping[str, Any]) -> str:
    """The French text of an issue of ``type`` with these placeholder values.

    ``values`` may compute its values lazily (a row of a table holds every field, a
    message names two or three). A template asking for a value nobody gave is a bug of
    ours, not the user's: the message then still reads, with the placeholder left blank.
    """
    template = CATALOGUE[type].template
    try:
        return template.format_map(values)
    except (KeyError, IndexError):
        return template.format_map(_Blank(values))


def issue(
    type: str,
    file: str,
    *,
    sheet: str = "",
    cell: str = "",
    field: str = "",
    label: str = "",
    value: str = "",
    axis: int | None = None,
    severity: Severity | None = None,
    context: Mapping[str, Any] | None = None,
    **values: Any,
) -> Issue:
    """An issue of a registered type at a place; its message is rendered from the
    catalogue with the place, ``values`` and, last, ``context`` (a mapping that may
    compute its values only when the template asks for them)."""
    place = {"label": label, "value": value, "cell": cell, "sheet": sheet,
             "where": where(sheet, cell), "file": file}  # fmt: skip
    mapping = ChainMap(values, place, context) if context is not None else {**place, **values}
    return Issue(
        file=file, type=type, severity=severity or CATALOGUE[type].severity,
        message=message(type, mapping), sheet=sheet, cell=cell, field=field, label=label,
        value=value, axis=axis,
    )  # fmt: skip


def default_severity(type: str) -> Severity:
    return CATALOGUE[type].severity


class _Blank(dict):
    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__()
        self.values = values

    def __missing__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            return ""
