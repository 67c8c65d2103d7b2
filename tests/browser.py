"""Our HTML pages in a real headless Chromium (Playwright for Python, the system's
Chromium: no browser is downloaded), as a coordinator opens them from the folder.

``inspect`` loads one page offline from file:// at one width and reports what a
person would run into: links that open nothing, images that do not load, console
errors, anything fetched from outside, sideways scrolling, headings out of order,
table headers without scope, images without alternative text, text below the WCAG
AA contrast, no print style, scripts. ``screenshot`` gives the whole page as PNG.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--font-render-hinting=none", "--force-color-profile=srgb",
]  # fmt: skip
WIDTHS = (1280, 390)
HEIGHT = 900


def chromium_path() -> str | None:
    """INNOVA_CHROMIUM if set, else the Debian package's browser."""
    named = os.environ.get("INNOVA_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def why_no_browser() -> str | None:
    """The French reason the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright pour Python absent (pip install -e '.[test]') : tests du navigateur sautés"
        )
    if chromium_path() is None:
        return ("Chromium absent (paquet Debian « chromium », ou INNOVA_CHROMIUM) : "
                "tests du navigateur sautés")  # fmt: skip
    return None


@contextlib.contextmanager
def launched() -> Iterator:
    """A headless Chromium for a test module; raises RuntimeError when it cannot start."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
            )
        except Error as exc:
            raise RuntimeError(f"Chromium ne démarre pas : {exc}") from None
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Report:
    """What one page showed at one width."""

    page: Path
    width: int
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    links: int = 0
    broken_images: list[str] = field(default_factory=list)
    images: int = 0
    scroll_width: int = 0
    client_width: int = 0
    headings: list[tuple[int, str]] = field(default_factory=list)
    headers_without_scope: int = 0
    images_without_alt: int = 0
    lang: str = ""
    low_contrast: list[dict] = field(default_factory=list)
    print_rules: int = 0
    scripts: int = 0
    handlers: int = 0  # elements with an on… attribute


def inspect(browser, page_path: Path, width: int) -> Report:
    report = Report(page_path, width)
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.on("console", lambda m: report.console_errors.append(m.text)
                if m.type == "error" else None)  # fmt: skip
        page.on("pageerror", lambda e: report.console_errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                else report.outside_requests.append(r.url))  # fmt: skip
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        facts = page.evaluate(_FACTS)
    finally:
        context.close()
    report.links = len(facts["links"])
    report.broken_links = _broken(facts["links"], facts["url"])
    report.images = len(facts["images"])
    report.broken_images = [i["src"][:80] for i in facts["images"] if not i["loaded"]]
    report.images_without_alt = sum(not i["alt"].strip() for i in facts["images"])
    for key in ("scroll_width", "client_width", "headers_without_scope", "lang",
                "low_contrast", "print_rules", "scripts", "handlers"):  # fmt: skip
        setattr(report, key, facts[key])
    report.headings = [(h["level"], h["text"]) for h in facts["headings"]]
    return report


def _context(browser, width: int):
    """A fresh browser context, offline, in which any request for something else than a
    file or a data: URI is refused before it leaves (the pages must load nothing)."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, offline=True)
    context.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())
    return context


def _broken(links: list[dict], page_url: str) -> list[str]:
    broken = []
    for link in links:
        parts = urlsplit(link["url"])
        if parts.scheme != "file":
            broken.append(f"{link['href']} (hors du dossier)")
        elif link["url"].split("#")[0] == page_url.split("#")[0] and parts.fragment:
            if not link["target"]:
                broken.append(f"{link['href']} (aucun élément de ce nom dans la page)")
        elif not Path(url2pathname(unquote(parts.path))).is_file():
            broken.append(link["href"])
    return broken


def screenshot(browser, page_path: Path, width: int = 1280, scale: float = 0.4) -> bytes:
    """The whole page as a PNG, scaled down and in 64 colours: a baseline is for the
    layout, and stays a small file in the repository (still legible when looked at)."""
    from PIL import Image

    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        data = page.screenshot(full_page=True, animations="disabled", caret="hide")
    finally:
        context.close()
    image = Image.open(io.BytesIO(data)).convert("RGB")
    size = (round(image.width * scale), round(image.height * scale))
    buffer = io.BytesIO()
    small = image.resize(size, Image.Resampling.LANCZOS)
    small.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG",
                                                                     optimize=True)  # fmt: skip
    return buffer.getvalue()


# what the page itself says, read in the browser (no script of the page runs: it has none)
_FACTS = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const lowContrast = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue;
    const fg = parse(style.color), bg = background(el);
    const ink = {r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
                 b: fg.b * fg.a + bg.b * (1 - fg.a)};
    const [l1, l2] = [luminance(ink), luminance(bg)];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) lowContrast.push({text: node.textContent.trim().slice(0, 50),
      ratio: Math.round(ratio * 100) / 100, color: style.color,
      background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`});
  }
  let printRules = 0;
  for (const sheet of document.styleSheets) {
    let rules = [];
    try { rules = sheet.cssRules; } catch (e) { continue; }  // another origin's: not ours
    for (const rule of rules) {
      if (rule instanceof CSSMediaRule && rule.conditionText.includes('print')) printRules++;
    }
  }
  const all = [...document.querySelectorAll('*')];
  return {
    url: document.URL,
    links: [...document.querySelectorAll('a[href]')].map((a) => ({
      href: a.getAttribute('href'), url: a.href,
      target: a.hash ? !!document.getElementById(decodeURIComponent(a.hash.slice(1))) : true,
    })),
    images: [...document.images].map((i) => ({src: i.getAttribute('src') || '',
      alt: i.getAttribute('alt') || '', loaded: i.complete && i.naturalWidth > 0})),
    scroll_width: document.scrollingElement.scrollWidth,
    client_width: document.scrollingElement.clientWidth,
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({
      level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 60)})),
    headers_without_scope: [...document.querySelectorAll('th')]
      .filter((th) => !['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope'))).length,
    lang: document.documentElement.lang,
    low_contrast: lowContrast,
    print_rules: printRules,
    scripts: document.scripts.length,
    handlers: all.filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
  };
}"""
