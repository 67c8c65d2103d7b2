"""Every HTML page of a sample month, opened in a real headless Chromium.

The pages are those of ``tests/sample_month.py`` (the shipped workbooks and a month's
odd files run through ``run_month``): the status page, the months' index, each axis
dashboard and the synthesis. Each is loaded offline from file:// at 1280 and 390 px.
The cockpit and the page of axis 1 are compared with reviewed screenshots
(tests/baseline/*.png, written by ``python -m tests.baseline.make_browser_baselines``:
look at every image before committing one).

Without Playwright or Chromium these tests skip and say why.
"""

from __future__ import annotations

import pytest

from tests import browser as chromium
from tests.test_dashboards_figures import BASELINE_DIR, rms

PAGES = [
    "2018-05/index.html", "index.html",
    *(f"2018-05/tableaux/axe-{n}.html" for n in range(1, 7)), "2018-05/tableaux/synthese.html",
]  # fmt: skip
SCREENSHOTS = {"cockpit": "2018-05/index.html", "axe-1-page": "2018-05/tableaux/axe-1.html"}
SCREENSHOT_TOLERANCE = 3.0  # RMS on 0–255: anti-aliasing noise, not a changed layout

_reason = chromium.why_no_browser()
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


@pytest.fixture(scope="module")
def browser():
    try:
        with chromium.launched() as launched:
            yield launched
    except RuntimeError as exc:
        pytest.skip(f"{exc} : tests du navigateur sautés")


@pytest.fixture(scope="module")
def reports(browser, sample_month):
    """Each page at each width, loaded once."""
    return {
        (name, width): chromium.inspect(browser, sample_month.output / name, width)
        for name in PAGES
        for width in chromium.WIDTHS
    }


def test_every_page_of_the_month_is_tested(sample_month):
    found = {p.relative_to(sample_month.output).as_posix() for p in sample_month.html_pages()}
    assert found == set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_links_open_files_and_images_load(reports, name):
    report = reports[(name, 1280)]
    assert report.broken_links == []
    assert report.broken_images == []
    if name.endswith("index.html"):
        assert report.links >= 3  # the month: its page, its master, its synthesis
    else:
        assert report.images >= 1 or "axe-6" in name


@pytest.mark.parametrize("name", PAGES)
def test_nothing_from_outside_no_console_error_no_script(reports, name):
    for width in chromium.WIDTHS:
        report = reports[(name, width)]
        assert report.console_errors == []
        assert report.outside_requests == []
        assert (report.scripts, report.handlers) == (0, 0)


@pytest.mark.parametrize("width", chromium.WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_sideways_scrolling(reports, name, width):
    report = reports[(name, width)]
    assert report.client_width == width
    assert report.scroll_width <= report.client_width, (
        f"{name} à {width} px : {report.scroll_width} px de large"
    )


@pytest.mark.parametrize("name", PAGES)
def test_french_headings_headers_alt_texts_and_print(reports, name):
    report = reports[(name, 1280)]
    assert report.lang == "fr"
    levels = [level for level, _ in report.headings]
    assert levels[0] == 1 and levels.count(1) == 1, report.headings
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), report.headings
    assert len(levels) >= 2
    assert report.headers_without_scope == 0
    assert report.images_without_alt == 0
    assert report.print_rules >= 1


@pytest.mark.parametrize("width", chromium.WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_text_contrast_meets_wcag_aa(reports, name, width):
    assert reports[(name, width)].low_contrast == []


def test_hostile_text_is_shown_as_typed(browser, sample_month):
    from tests.sample_month import HOSTILE_TITLE

    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.goto((sample_month.period_dir / "index.html").as_uri())
        shown = page.inner_text("section[aria-labelledby='axe-2']")
        assert HOSTILE_TITLE in shown
        assert page.evaluate("document.querySelectorAll('[onmouseover]').length") == 0
    finally:
        context.close()


@pytest.mark.parametrize("baseline", sorted(SCREENSHOTS))
def test_screenshot_matches_reviewed_baseline(browser, sample_month, baseline, tmp_path):
    expected = BASELINE_DIR / f"{baseline}.png"
    if not expected.is_file():
        pytest.fail(
            f"baseline absente {expected} : python -m tests.baseline.make_browser_baselines"
        )
    actual = chromium.screenshot(browser, sample_month.output / SCREENSHOTS[baseline])
    difference = rms(expected.read_bytes(), actual)
    if difference > SCREENSHOT_TOLERANCE:
        (tmp_path / f"{baseline}-actual.png").write_bytes(actual)
    assert difference <= SCREENSHOT_TOLERANCE, f"{baseline} : RMS {difference:.2f}, voir {tmp_path}"


def test_the_comparison_sees_a_changed_page(browser, sample_month):
    cockpit = chromium.screenshot(browser, sample_month.output / SCREENSHOTS["cockpit"])
    assert rms(cockpit, cockpit) == 0
    page = chromium.screenshot(browser, sample_month.output / SCREENSHOTS["axe-1-page"])
    assert rms(cockpit, page) > SCREENSHOT_TOLERANCE


BAD_PAGE = """<!DOCTYPE html><html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">
</head><body><h2>Titre</h2><h4>Sous-titre</h4><a href="absent.pdf">absent</a>
<a href="#nulle-part">ancre</a><a href="present.txt">présent</a><img src="absent.png">
<p style="color:#999999">gris clair</p><div style="width:2000px">trop large</div>
<table><tr><th>sans portée</th></tr></table><script>console.error("boum")</script>
</body></html>"""


def test_the_inspector_sees_each_problem(browser, tmp_path):
    """The checks above can fail: a page with every fault, seen by the same inspector."""
    page = tmp_path / "mauvaise.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    (tmp_path / "present.txt").write_text("x", encoding="utf-8")
    report = chromium.inspect(browser, page, 390)
    assert report.broken_links == [
        "absent.pdf",
        "#nulle-part (aucun élément de ce nom dans la page)",
    ]
    assert report.broken_images == ["absent.png"] and report.images_without_alt == 1
    assert report.outside_requests == ["http://127.0.0.1:9/x.css"]
    assert any("boum" in line for line in report.console_errors)
    assert report.scroll_width > report.client_width
    assert [level for level, _ in report.headings] == [2, 4]
    assert report.headers_without_scope == 1 and report.lang == "" and report.print_rules == 0
    assert report.scripts == 1
    assert [c["text"] for c in report.low_contrast] == ["gris clair"]
