"""Lesson links in the app: a link's query opens its tab with its settings, some controls hidden; "Copy link"
writes the current view as one. The schema and the query's reading and writing are :mod:`lab.lesson`'s.

How a tab takes part (one call in its build, where it used to compute its first result on ``root.load``)::

    lesson.follow("inside", {"model": model, "method": method, ...}).then(first_result, inputs, outputs)

The page's order of events: on load, :func:`follow`'s read step decodes ``request.query_params`` into a State
(one per page, queue-free); each tab's apply step then sets its linked controls (and hides those in ``hide=``);
only then does the tab compute, from the values now on screen. So the first result shown answers the link, not
the defaults (Gradio fires every load listener at once, each with the values the page had before any ran).
A control key is ``(component, {link value: component value})`` where the two differ (a Radio's English label
value, a Dropdown of numbers: found from its choices), else the component itself.

:func:`bar` (the header: the lesson note, "Show every control", "Copy link") and :func:`wire` (after the tabs:
selecting the linked tab, the copy chain, the ``/lesson_link`` endpoint) are app.py's.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import gradio as gr

from lab import lesson as L
from lab.models.zoo import ASSETS
from lab.ui.common import speaker, translate_error, translator, user_errors
from lab.ui.text.lesson import TEXT, TEXT_ZH  # noqa: F401  (TEXT_ZH: common.build_i18n reads it here)

i18n = translator(__name__, TEXT)
say = speaker(TEXT, TEXT_ZH)
QUIET = dict(api_visibility="private", show_progress="hidden", queue=False)

# The components' names in the Inside tab's ``ui`` dict, by link key (inside.py hands its dict over whole).
INSIDE = dict(model="model", image="image", weights="weights", method="method", layer="layer", method2="method_b",
              layer2="layer_b", opacity="opacity", fmlayer="fm_layer")
# A browser writes the link into the clipboard; the box keeps it when the clipboard is refused (http, an iframe
# without permission). The address is this page's own: on a Space, the *.hf.space one (README, "Lesson links").
COPY_JS = """(query) => {
  const url = window.location.origin + window.location.pathname + (query ? "?" + query : "");
  try { navigator.clipboard.writeText(url).catch(() => {}); } catch (e) {}
  return url;
}"""


@dataclass
class Linked:
    """A control a link sets: its component, and the link value <-> the component's value."""

    component: Any
    to_ui: Mapping[str, Any] | None = None  # link value -> component value (None: the same)

    def update(self, key: str, value: Any) -> dict:
        if value is None:
            return gr.skip()
        if self.component.__class__ is gr.Image:  # an example picture by name: assets/<name>
            return gr.update(value=str(ASSETS / value))
        shown = self.to_ui.get(value, value) if self.to_ui else value
        if isinstance(self.component, gr.Dropdown) and value not in self._values():  # a layer: its name for now
            return gr.update(choices=[(shown, shown)], value=shown)  # (the tab's own run lists every layer)
        return gr.update(value=shown)

    def read(self, raw: Any) -> Any:
        """The link value of the component's raw value (None: nothing a link can carry, e.g. an upload)."""
        if raw is None:
            return None
        if self.component.__class__ is gr.Image:
            path = raw.get("path") if isinstance(raw, dict) else raw
            name = Path(str(path)).name
            return name if (ASSETS / name).is_file() and path is not None else None
        back = {v: k for k, v in (self.to_ui or {}).items()}
        return back.get(raw, raw)

    def _values(self) -> list:
        return [c[1] if isinstance(c, tuple) else c for c in getattr(self.component, "choices", None) or []]


def _linked(entry: Any) -> Linked:
    component, to_ui = entry if isinstance(entry, tuple) else (entry, None)
    choices = [c[1] if isinstance(c, tuple) else c for c in getattr(component, "choices", None) or []]
    if to_ui is None and choices and all(isinstance(v, int) for v in choices):  # numbers: "64" in the link
        to_ui = {str(v): v for v in choices}
    return Linked(component, to_ui)


@dataclass
class _Page:
    """One app's lesson machinery: the link State and its read step (page load), and the tabs' controls."""

    link: gr.State
    read: Any
    tabs: dict[str, dict[str, Linked]] = field(default_factory=dict)
    bar: dict[str, Any] = field(default_factory=dict)


_PAGES: "weakref.WeakKeyDictionary[gr.Blocks, _Page]" = weakref.WeakKeyDictionary()


def _page() -> _Page:
    root = gr.context.Context.root_block
    if root not in _PAGES:
        link = gr.State()
        _PAGES[root] = _Page(link=link, read=root.load(user_errors(read_link), None, link, **QUIET))
    return _PAGES[root]


def read_link(request: gr.Request) -> dict[str, Any]:
    """The page's link (``request.query_params``: Gradio sends the page's query with each request) decoded."""
    query = dict(getattr(request, "query_params", None) or {})
    state, notes = L.decode(query)
    return {"state": state, "notes": notes, "tab_given": "tab" in query}


def follow(tab: str, controls: Mapping[str, Any]) -> Any:
    """Register ``tab``'s linkable ``controls`` (by link key; for the Inside tab, its whole ``ui`` dict) and set
    them from the page's link on load. Returns the event after which the tab computes its first result."""
    if tab == "inside" and "image" not in controls:
        raise KeyError("pass the Inside tab's ui dict")
    if tab == "inside":
        controls = {key: controls[name] for key, name in INSIDE.items()}
    unknown = set(controls) - set(L.controls(tab))
    if unknown:
        raise KeyError(f"lab.lesson.TABS[{tab!r}] has no key {sorted(unknown)}")
    page = _page()
    linked = {key: _linked(c) for key, c in controls.items()}
    page.tabs.setdefault(tab, {}).update(linked)

    def apply(link: dict | None) -> dict:
        state = (link or {}).get("state") or {}
        if state.get("tab") != tab:
            return {x.component: gr.skip() for x in linked.values()}
        out = {}
        for key, x in linked.items():
            update = x.update(key, state.get(key)) if x.read(x.component.value) != state.get(key) else gr.skip()
            out[x.component] = {**update, "visible": False} if key in state.get("hide", ()) else update
        return out

    return page.read.then(apply, page.link, [x.component for x in linked.values()], **QUIET)


def bar() -> None:
    """The header's lesson row: the focused view's note and "Show every control" (hidden until a link hides
    something or a value could not be used), "Copy link" and the link box (shown after a copy)."""
    page = _page()
    with gr.Row(elem_id="lesson-bar"):
        page.bar["note"] = gr.Markdown(visible=False, elem_id="lesson-note", elem_classes=["explain"])
        with gr.Column(scale=0, min_width=240):
            page.bar["copy"] = gr.Button(i18n("copy"), size="sm", elem_id="lesson-copy")
            page.bar["show_all"] = gr.Button(i18n("show_all"), visible=False, size="sm", elem_id="lesson-show-all")
    page.bar["box"] = gr.Textbox(label=i18n("link"), info=i18n("link_info"), visible=False, interactive=False,
                                 buttons=["copy"], elem_id="lesson-link")
    page.bar["active"] = gr.State(L.DEFAULT_TAB)


def wire(tabs: gr.Tabs, items: Mapping[str, gr.Tab]) -> None:
    """After the tabs: select the linked one and say what the link did; track the active tab; the copy chain;
    "Show every control"; the ``/lesson_link`` endpoint."""
    page = _page()
    b = page.bar
    page.read.then(user_errors(opened), page.link, [tabs, b["note"], b["show_all"], b["active"]], **QUIET)
    for name, item in items.items():
        item.select(lambda name=name: name, None, b["active"], **QUIET)
    order = [(tab, key, x) for tab, keys in page.tabs.items() for key, x in keys.items()]

    def copy_link(active: str, link: dict | None, *values: Any) -> dict:
        return {b["box"]: gr.update(visible=True, value=_query(active, link, order, values))}

    b["copy"].click(user_errors(copy_link), [b["active"], page.link, *(x.component for _, _, x in order)], b["box"],
                    preprocess=False, **QUIET).success(None, b["box"], b["box"], js=COPY_JS, **QUIET)

    def show_all(link: dict | None) -> dict:
        kept = dict(link or {}, state={**(link or {}).get("state", {}), "hide": []})
        return {b["note"]: gr.update(visible=False), b["show_all"]: gr.update(visible=False), page.link: kept,
                **{x.component: gr.update(visible=True) for _, _, x in order}}

    b["show_all"].click(show_all, page.link, [b["note"], b["show_all"], page.link, *(x.component for _, _, x in order)],
                        **QUIET)
    gr.api(user_errors(lesson_link), api_name="lesson_link")


def _query(active: str, link: dict | None, order: list, values: tuple) -> str:
    """The query of the ``active`` tab's current values (raw, as the page sends them), keeping the ``hide=``
    of the link this page opened with while it is on that tab."""
    state: dict[str, Any] = {"tab": active}
    for (tab, key, x), raw in zip(order, values):
        if tab == active and x.read(raw) is not None:
            state[key] = x.read(raw)
    opened = (link or {}).get("state") or {}
    if opened.get("tab") == active:
        state["hide"] = opened.get("hide", [])
    return L.encode(state)


def opened(link: dict | None) -> tuple:
    """The linked tab selected; the note: a focused view (something hidden), the values that fell back."""
    state, notes = (link or {}).get("state") or {}, (link or {}).get("notes") or []
    lines = [say("focused")] if state.get("hide") else []
    if notes:
        lines.append(say("notes") + "\n" + "\n".join(f"- {translate_error(n)}" for n in notes))
    # No tab= in the link: leave the tabs alone (a student may have clicked one already).
    tab = state.get("tab", L.DEFAULT_TAB) if (link or {}).get("tab_given") else None
    return (gr.Tabs(selected=tab) if tab else gr.skip(), gr.update(value="\n\n".join(lines), visible=bool(lines)),
            gr.update(visible=bool(state.get("hide"))), tab or gr.skip())


def lesson_link(state: dict) -> str:
    """The URL query of a lesson link: what to put after ``?`` on the app's address (or a Space's page).

    ``state`` names the tab and the settings, with the keys of the README's "Lesson links" table, e.g.
    ``{"tab": "inside", "model": "resnet18", "method": "gradcam++", "image": "cat.jpg", "hide": ["model"]}``
    -> ``"tab=inside&model=resnet18&image=cat.jpg&method=gradcam%2B%2B&hide=model"``. Settings equal to the tab's
    defaults are left out; keys the tab does not link are ignored. An unknown tab, a value out of range or not
    among the choices, or a control to hide that the tab lacks is an error saying what to send.
    """
    if not isinstance(state, dict):
        example = '{"tab": "inside"}'
        raise ValueError(f"The lesson link's state must be a JSON object such as {example}, not {str(state)[:40]!r}.")
    return L.encode(state)

