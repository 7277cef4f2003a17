"""Readable on a classroom projector (issue 15, item 10): help text keeps WCAG AA contrast (4.5:1)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                               if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c; } return [255, 255, 255]; };
  const out = [];
  for (const el of document.querySelectorAll('.info-text, .explain')) {
    if (!el.offsetParent || !el.textContent.trim()) continue;  // hidden tabs and empty boxes
    const fg = rgb(getComputedStyle(el).color), bg = background(el);
    const opacity = Number(getComputedStyle(el).opacity);
    const mixed = fg.slice(0, 3).map((x, i) => x * opacity + bg[i] * (1 - opacity));
    const [a, b] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
    out.push({text: el.textContent.trim().slice(0, 50), ratio: (a + 0.05) / (b + 0.05)});
  }
  return out;
}"""


def test_help_text_has_projector_contrast(page):
    page.wait_for_selector(".info-text", timeout=60_000)
    found = page.evaluate(CONTRAST_JS)
    assert len(found) >= 3, found  # the Architecture tab explains its controls
    faint = [f for f in found if f["ratio"] < 4.5]
    assert not faint, faint
