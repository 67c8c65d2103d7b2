"""Composing the period's emails: content, structure, safety and reproducibility."""

from __future__ import annotations

import dataclasses
from email import message_from_bytes, policy

import pytest

from innova_reports.mail.compose import compose_period, inline_images
from innova_reports.mail.texts import month_words
from innova_reports.settings import Recipient
from tests.mail_factory import PERIOD, PNG, make_outputs, make_snapshot


def parsed(draft):
    return message_from_bytes(draft.as_bytes(), policy=policy.default)


@pytest.fixture
def period_dir(settings, tmp_path):
    return make_outputs(settings, tmp_path)


@pytest.fixture
def drafts(settings, period_dir):
    return {d.key: d for d in compose_period(settings, make_snapshot(settings), period_dir)}


def test_one_message_per_list_and_reminders_only_where_documents_are_missing(drafts):
    assert list(drafts) == [
        "axe-1", "axe-2", "axe-3", "axe-4", "axe-5", "axe-6", "copil",
        "relance-axe-3", "relance-axe-6",
    ]  # fmt: skip
    assert all(not d.problem and d.digest for d in drafts.values())


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6])
def test_axis_subject_and_recipients_come_from_the_settings(settings, drafts, number):
    message = parsed(drafts[f"axe-{number}"])
    assert message["Subject"] == f"INNOVA BRIVE – Axe {number} – tableau de bord de mai 2018"
    pilot = settings.axis(number).pilots[0]
    assert [a.addr_spec for a in message["To"].addresses] == [pilot.address]
    assert message["To"].addresses[0].display_name == pilot.name


def test_month_names_are_french():
    assert month_words("2018-02") == "février 2018"
    assert month_words("2018-08") == "août 2018"


def test_axis_message_has_text_html_inline_images_and_attachments(drafts, period_dir):
    message = parsed(drafts["axe-2"])
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Bonjour Julien Mazeyrie" in text and "Tableau de bord – Axe 2" in html
    related = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(related) == 2 and "data:" not in html
    for part in related:
        assert f"cid:{part['Content-ID'].strip('<>')}" in html
    assert related[0].get_content() == PNG
    attachments = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
    assert attachments == {
        "tableau-de-bord_axe-2_2018-05.pdf": (period_dir / "tableaux" / "axe-2.pdf").read_bytes(),
        "corrections_axe-2_2018-05.xlsx": (period_dir / "retours" / "axe-2.xlsx").read_bytes(),
    }


def test_a_group_with_nothing_to_fix_gets_no_empty_feedback_file(drafts, period_dir):
    assert (period_dir / "retours" / "axe-3.xlsx").is_file()
    message = parsed(drafts["axe-3"])
    attachments = [p.get_filename() for p in message.iter_attachments()]
    assert attachments == ["tableau-de-bord_axe-3_2018-05.pdf"]
    assert "fichier de retour" not in message.get_body(("plain",)).get_content()


def test_corrections_are_listed_cell_by_cell_errors_first_without_info(drafts):
    message = parsed(drafts["axe-2"])
    text = message.get_body(("plain",)).get_content()
    assert "Ce que votre groupe doit corriger : 2 points, repris" in text
    assert text.index("\n1. Erreur – A2.1.xlsx › Tâches › E7") < text.index("Indicateurs › H9")
    assert "axe2/" not in text  # the group knows its file by name, not by our folder
    assert "(s)" not in text and "[erreur]" not in text
    assert "Titre long" not in text
    assert "Aucune correction" in parsed(drafts["axe-3"]).get_body(("plain",)).get_content()


def test_text_typed_by_users_is_escaped_in_html(drafts):
    html = parsed(drafts["axe-1"]).get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_copil_gets_the_synthesis_and_every_pdf(settings, drafts):
    message = parsed(drafts["copil"])
    assert (
        message["Subject"] == "INNOVA BRIVE – Synthèse du programme – tableau de bord de mai 2018"
    )
    assert len(message["To"].addresses) == len(settings.copil_recipients)
    names = [p.get_filename() for p in message.iter_attachments()]
    assert names == ["synthese-programme_2018-05.pdf"] + [
        f"tableau-de-bord_axe-{n}_2018-05.pdf" for n in range(1, 7)
    ]
    assert "Synthèse" in message.get_body(("html",)).get_content()


def test_reminder_is_courteous_and_names_the_missing_documents(drafts):
    message = parsed(drafts["relance-axe-6"])
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "INNOVA BRIVE – Axe 6 – relance : documents attendus pour mai 2018"
    assert "la feuille de route de l'axe 6" in text
    assert "la fiche action A6.1 « Action A6.1 »" in text and "A6.2" not in text
    assert "Pourriez-vous nous les transmettre" in text and "Merci" in text
    assert "Si vous les avez déjà envoyés" in text
    assert text.rstrip().endswith("La coordination du programme INNOVA BRIVE")
    html = message.get_body(("html",)).get_content()
    assert "<li>la feuille de route de l&#x27;axe 6</li>" in html
    assert "A3.3" in parsed(drafts["relance-axe-3"]).get_body(("plain",)).get_content()


def test_no_reminder_when_everything_came_in(settings, period_dir):
    keys = [
        d.key for d in compose_period(settings, make_snapshot(settings, missing={}), period_dir)
    ]
    assert not any(key.startswith("relance") for key in keys)


def test_same_inputs_give_the_same_bytes(settings, period_dir, drafts):
    again = compose_period(settings, make_snapshot(settings), period_dir)
    assert [d.as_bytes() for d in again] == [d.as_bytes() for d in drafts.values()]
    message = parsed(drafts["axe-2"])
    assert (
        message["Message-ID"]
        == f"<{PERIOD}.axe-2.{drafts['axe-2'].digest[:24]}@innova-reports.invalid>"
    )
    assert message["Date"] == "Mon, 28 May 2018 08:00:00 +0200"


def test_sender_does_not_change_the_content_hash(settings, period_dir, drafts):
    sender = Recipient("Coordination", "coordination@example.org")
    signed = compose_period(settings, make_snapshot(settings), period_dir, sender=sender)
    assert [d.digest for d in signed] == [d.digest for d in drafts.values()]
    assert parsed(signed[0])["From"] == "Coordination <coordination@example.org>"
    assert parsed(signed[0])["Message-ID"].endswith("@example.org>")


def test_changed_content_changes_the_hash(settings, period_dir, drafts):
    (period_dir / "tableaux" / "axe-2.pdf").write_bytes(b"%PDF-1.4 another version")
    again = {d.key: d for d in compose_period(settings, make_snapshot(settings), period_dir)}
    assert again["axe-2"].digest != drafts["axe-2"].digest
    assert again["axe-1"].digest == drafts["axe-1"].digest


@pytest.mark.parametrize(
    ("name", "address", "expected"),
    [
        ("Nathalie\nBcc: victime@example.org", "n.roche@example.org", "axe 1).pilotes[1].nom"),
        ("Nathalie, Roche", "n.roche@example.org", "axe 1).pilotes[1].nom"),
        ("Nathalie Roche", "n.roche@example.org, x@example.org", "axe 1).pilotes[1].adresse"),
        ("Nathalie Roche", "n.roche@example.org\r\nBcc: x@example.org", "pilotes[1].adresse"),
        ("Nathalie Roche", "pas-une-adresse", "axe 1).pilotes[1].adresse"),
    ],
)
def test_header_injection_is_refused_naming_the_key(settings, period_dir, name, address, expected):
    axis = dataclasses.replace(settings.axis(1), pilots=(Recipient(name, address),))
    bad = dataclasses.replace(settings, axes=(axis, *settings.axes[1:]))
    drafts = {d.key: d for d in compose_period(bad, make_snapshot(bad), period_dir)}
    assert drafts["axe-1"].message is None
    assert expected in drafts["axe-1"].problem
    assert drafts["axe-2"].message is not None and not drafts["axe-2"].problem


def test_newline_in_programme_name_is_refused(settings, period_dir):
    bad = dataclasses.replace(settings, programme="INNOVA\r\nBcc: x@example.org")
    drafts = compose_period(bad, make_snapshot(bad), period_dir)
    assert all(d.message is None and "programme.nom" in d.problem for d in drafts)


def test_attachment_over_the_limit_is_refused_alone(settings, period_dir):
    (period_dir / "tableaux" / "axe-4.pdf").write_bytes(b"%PDF" + b"0" * 300_000)
    drafts = {
        d.key: d for d in compose_period(settings, make_snapshot(settings), period_dir, max_mb=0.2)
    }
    assert drafts["axe-4"].message is None
    assert "« axe-4.pdf » pèse 0.3 Mo" in drafts["axe-4"].problem
    assert "INNOVA_MAIL_MAX_MB" in drafts["axe-4"].problem
    assert drafts["copil"].message is None  # it carries the same PDF
    assert drafts["axe-1"].message is not None


def test_missing_dashboard_is_explained(settings, period_dir):
    (period_dir / "tableaux" / "axe-5.html").unlink()
    drafts = {d.key: d for d in compose_period(settings, make_snapshot(settings), period_dir)}
    assert "innova-reports dashboards" in drafts["axe-5"].problem
    assert drafts["axe-5"].message is None and drafts["axe-1"].message is not None


def test_inline_images_leaves_remote_and_unknown_sources_alone(tmp_path):
    page = '<img src="cid:x"><img src="https://exemple.fr/a.png"><img src="../../etc/passwd">'
    html, images = inline_images(page, tmp_path, "k")
    assert html == page and images == []


def test_the_dashboards_cid_variant_is_preferred(settings, period_dir):
    boards = period_dir / "tableaux"
    (boards / "axe-1-gantt.png").write_bytes(PNG + b"gantt")
    (boards / "axe-1.cid.html").write_text(
        '<html><body><p>Variante courriel</p><img src="cid:axe-1-gantt.png"></body></html>',
        encoding="utf-8",
    )
    draft = compose_period(settings, make_snapshot(settings), period_dir)[0]
    message = parsed(draft)
    html = message.get_body(("html",)).get_content()
    assert "Variante courriel" in html and "cid:axe-1.1." in html
    images = [p.get_content() for p in message.walk() if p.get_content_type() == "image/png"]
    assert images == [PNG + b"gantt"]


def test_a_single_missing_document_is_asked_for_in_the_singular(settings):
    from innova_reports.mail.texts import reminder_text

    text = reminder_text(settings, settings.axis(4), "2018-05", ["la fiche action A4.2"])
    assert "le document suivant" in text and "Pourriez-vous nous le transmettre" in text
    assert "avec le classeur complété ?" in text and "Si vous l'avez déjà envoyé," in text
    assert "les classeurs" not in text and "les avez" not in text


def test_attachments_are_named_for_the_recipient():
    from pathlib import Path

    from innova_reports.mail.compose import attachment_name

    out = Path("sorties/2018-05")
    assert attachment_name(out / "tableaux" / "axe-3.pdf", "2018-05") == (
        "tableau-de-bord_axe-3_2018-05.pdf"
    )
    assert attachment_name(out / "retours" / "axe-3.xlsx", "2018-05") == (
        "corrections_axe-3_2018-05.xlsx"
    )
    assert attachment_name(out / "tableaux" / "synthese.pdf", "2018-05") == (
        "synthese-programme_2018-05.pdf"
    )
    assert attachment_name(out / "autre" / "notes.pdf", "2018-05") == "notes.pdf"
