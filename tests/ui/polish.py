"""What the issue-15 browser tests measure on screen (tests/ui/test_polish_*.py): error pills, toasts, words
broken across lines, overlapping labels."""
from __future__ import annotations

# The ids of the components (or the first words of their block) that show Gradio's red "Error" pill: it
# replaces the component's content, so on an input it hides what the user must fix.
_PILLS_JS = """root => [...document.querySelectorAll(`${root} span.error`)]
  .filter(e => e.offsetParent && !e.closest('.toast-wrap'))
  .map(e => e.closest('[id]')?.id || (e.closest('.block')?.innerText ?? '').slice(0, 40))"""

# Every word (a run without spaces) of the visible cells under `root` whose text lies on more than one line,
# or sticks out of its cell: "features.0" printed as "features." / "0", "Strid" / "e", "29,401," / "088".
_BROKEN_JS = """root => {  // visible cells only: root "body" is the open tab
  const out = [];
  const cells = document.querySelectorAll(`${root} td, ${root} th, ${root} [role=gridcell], ${root} code`);
  for (const cell of cells) {
    if (!cell.offsetParent || cell.closest('.sizing-body')) continue;  // Gradio's hidden sizing table
    const box = cell.getBoundingClientRect();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('button')) continue;  // the header's "⋮" menu
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        const lines = new Set(rects.map(r => Math.round(r.top)));
        const r = range.getBoundingClientRect();
        if (lines.size > 1) out.push(`${m[0]} (on ${lines.size} lines)`);
        else if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`${m[0]} (outside its cell)`);
      }
    }
  }
  return out;
}"""


def pills(page, root: str = "body", wait: float = 3_000) -> list[str]:
    """The components under ``root`` that show an "Error" pill ``wait`` ms after an error (the listeners that
    follow a failed event need a moment to replace them)."""
    try:
        page.wait_for_function(f"root => ({_PILLS_JS})(root).length === 0", arg=root, timeout=wait)
    except Exception:  # noqa: BLE001  (still there: the caller's assertion lists them)
        pass
    return page.evaluate(_PILLS_JS, root)


def error_toast(page, containing: str, timeout: float = 30_000) -> str:
    """Wait for an error toast that contains ``containing``; return its text."""
    page.wait_for_function(
        "t => [...document.querySelectorAll('.toast-body.error')].some(e => e.innerText.includes(t))",
        arg=containing, timeout=timeout)
    return next(t for t in page.locator(".toast-body.error").all_inner_texts() if containing in t)


def broken_words(page, root: str) -> list[str]:
    """The words of the tables (and code) under ``root`` that are broken across lines or stick out of their cell."""
    return page.evaluate(_BROKEN_JS, root)


def wait_text(page, selector: str, text: str, timeout: float = 30_000) -> None:
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.innerText ?? '').includes(t)",
                           arg=[selector, text], timeout=timeout)


def empty(page, selector: str) -> None:
    """Empty a number box the way a user does (select all, delete): the handler gets None. (Leaving a slider's
    empty box puts its minimum back in.)"""
    box = page.locator(selector)
    box.click()
    box.press("Control+a")
    box.press("Backspace")
