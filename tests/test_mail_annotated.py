"""The pilot's email attaches the group's annotated copies, within INNOVA_MAIL_MAX_MB."""

from __future__ import annotations

from email import message_from_bytes, policy

from innova_reports.mail.compose import compose_period
from tests.mail_factory import make_outputs, make_snapshot


def copies(period_dir, axis: int, sizes: dict[str, int]):
    folder = period_dir / "retours" / f"axe-{axis}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in sizes.items():
        (folder / name).write_bytes(b"PK" + bytes(size))
    return folder


def axis_message(settings, period_dir, axis: int, max_mb: float = 10.0):
    drafts = {d.key: d for d in compose_period(settings, make_snapshot(settings), period_dir,
                                               max_mb=max_mb)}  # fmt: skip
    draft = drafts[f"axe-{axis}"]
    assert not draft.problem, draft.problem
    return draft, message_from_bytes(draft.as_bytes(), policy=policy.default)


def test_the_copies_are_attached_when_they_fit(settings, tmp_path):
    period_dir = make_outputs(settings, tmp_path)
    copies(
        period_dir, 2, {"fiche_A2.1_a-corriger.xlsx": 1000, "feuille_de_route_a-corriger.ods": 800}
    )
    draft, message = axis_message(settings, period_dir, 2)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names[-2:] == ["feuille_de_route_a-corriger.ods", "fiche_A2.1_a-corriger.xlsx"]
    text = message.get_body(("plain",)).get_content()
    assert "aussi en pièces jointes les copies annotées" in text
    assert "- fiche_A2.1_a-corriger.xlsx" in text
    html = message.get_body(("html",)).get_content()
    assert "copies annotées" in html
    types = [part.get_content_type() for part in message.iter_attachments()]
    assert types[-2] == "application/vnd.oasis.opendocument.spreadsheet"


def test_above_the_limit_the_copies_are_named_with_their_folder(settings, tmp_path):
    period_dir = make_outputs(settings, tmp_path)
    folder = copies(period_dir, 2, {"fiche_A2.1_a-corriger.xlsx": 300_000})
    draft, message = axis_message(settings, period_dir, 2, max_mb=0.25)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert "fiche_A2.1_a-corriger.xlsx" not in names
    text = " ".join(message.get_body(("plain",)).get_content().split())
    assert "est trop lourde pour être jointe à ce courriel" in text
    assert str(folder) in text and "- fiche_A2.1_a-corriger.xlsx" in text


def test_no_copy_no_paragraph(settings, tmp_path):
    period_dir = make_outputs(settings, tmp_path)
    draft, message = axis_message(settings, period_dir, 3)
    assert "copie annotée" not in message.get_body(("plain",)).get_content()
    assert "copies annotées" not in message.get_body(("plain",)).get_content()
