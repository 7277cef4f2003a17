"""Lesson links: a view's state in the URL query, so a teacher's slide opens CNN Lab on one setting.

``?tab=inside&model=resnet18&method=gradcam%2B%2B&image=cat.jpg&hide=model`` opens the Inside tab on
ResNet-18's Grad-CAM++ of the cat, the model picker hidden. Like TensorFlow Playground's URLs, a link holds the
whole state (no server-side store: it survives a restart) and only what differs from the tab's defaults.

:data:`TABS` is the schema: for each tab, the controls a link may set, each with its query key, type, range or
choices and default (a default may follow other values: a network's usual resolution, the widths compound
scaling gives φ). :func:`encode` writes a state as a query string (stable order, defaults left out);
:func:`decode` reads one back, never raising: an unknown key is ignored, a bad value falls back to its default
with a sentence in ``notes``. ``hide=`` lists the control keys a focused view hides.

Adding a tab (the A/B view, say) is one more entry in :data:`TABS`; its UI registers its components under the
same keys (lab/ui/lesson.py).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import parse_qsl, quote, urlencode

from lab import augment, cam, inspect as li, scaling as S, train as T, transfer
from lab.models import list_models, zoo

State = dict[str, Any]
MAX_VALUE_CHARS = 200  # a longer query value is not one of ours (and is not echoed back whole)
_LAYER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,79}")


@dataclass(frozen=True)
class Control:
    """One linkable control: its query key, what it accepts, and its default.

    ``kind``: "int" and "float" (in ``lo``..``hi``), "choice" (one of ``choices``), "bool", or "layer" (a module
    name such as ``layer4.1``; the tab falls back to the network's default layer for one it lacks).
    ``default``: a value, or a function of the values decoded so far (controls are read in order).
    ``derived``: when it says so (a function of those values), the control is its default whatever the link
    says, and a link never writes it (compound scaling's width, depth and resolution follow φ).
    """

    key: str
    kind: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    derived: Callable[[State], bool] | None = None

    def expected(self) -> str:
        """What the control accepts, in words (a note's sentence quotes it)."""
        if self.kind == "int":
            return f"a whole number from {self.lo:g} to {self.hi:g}"
        if self.kind == "float":
            return f"a number from {self.lo:g} to {self.hi:g}"
        if self.kind == "choice":
            return f"one of: {', '.join(self.choices)}"
        if self.kind == "bool":
            return "true or false"
        return "a layer name (letters, digits, dots and underscores)"

    def parse(self, raw: Any) -> Any:
        """The value of ``raw`` (a query string, or a value an API caller sent); ValueError if unusable."""
        if isinstance(raw, str):
            raw = raw.strip()
        if self.kind == "choice":
            if isinstance(raw, int) and not isinstance(raw, bool):
                raw = str(raw)  # a batch size sent as a number
            if isinstance(raw, str) and raw in self.choices:
                return raw
        elif self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.lower() in ("1", "true", "yes", "0", "false", "no"):
                return raw.lower() in ("1", "true", "yes")
        elif self.kind == "layer":
            if raw is None or raw == "":
                return None
            if isinstance(raw, str) and _LAYER.fullmatch(raw):
                return raw
        elif not isinstance(raw, bool) and isinstance(raw, (int, float, str)):
            try:
                x = float(raw)
            except ValueError:
                x = math.nan
            whole = self.kind != "int" or x.is_integer()
            if math.isfinite(x) and whole and self.lo <= x <= self.hi:
                return int(x) if self.kind == "int" else x
        raise ValueError(self.expected())

    def default_for(self, state: State) -> Any:
        return self.default(state) if callable(self.default) else self.default

    def text(self, value: Any) -> str:
        """``value`` as the query writes it: 0.5, not 0.50000001; true/false."""
        if self.kind == "bool":
            return "true" if value else "false"
        if self.kind == "float":
            return f"{value:.6g}"
        return str(value)


def _int(key: str, default: Any, lo: int, hi: int, **kw: Any) -> Control:
    return Control(key, "int", default, lo, hi, **kw)


def _float(key: str, default: Any, lo: float, hi: float, **kw: Any) -> Control:
    return Control(key, "float", default, lo, hi, **kw)


def _choice(key: str, default: Any, choices: Any) -> Control:
    return Control(key, "choice", default, choices=tuple(choices))


def _usual(index: int) -> Callable[[State], int]:
    """The picked network's usual input channels (0) or side (1): LeNet-5's 1×32×32, ResNet's 3×224×224."""
    return lambda s: li.usual_input_size(s["model"])[index]


def _compound(index: int) -> Callable[[State], float]:
    """Width (0), depth (1) or resolution (2) that compound scaling gives the link's φ, α, β, γ (as the sliders
    show them: 4 decimals)."""
    def default(s: State) -> float:
        value = S.compound(s["phi"], s["alpha"], s["beta"], s["gamma"])[index]
        return value if index == 2 else round(value, 4)
    return default


def _compound_mode(s: State) -> bool:
    return s["mode"] == "compound"


def _examples() -> tuple[str, ...]:
    """The example pictures shipped in assets/ (a link names one; an upload cannot travel in a URL)."""
    return tuple(sorted(p.name for p in zoo.ASSETS.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg")))


# The schema: per tab, its linkable controls in the order a link writes them. Ranges are the tabs' own.
TABS: dict[str, tuple[Control, ...]] = {
    "architecture": (
        _choice("model", "resnet18", list_models()),
        _int("res", _usual(1), 1, li.MAX_SIDE),
        _int("ch", _usual(0), 1, li.MAX_CHANNELS),
        _int("classes", lambda s: li.default_num_classes(s["model"]), 1, li.MAX_CLASSES),
        _choice("view", "stages", ("stages", "depth1", "depth2", "depth3", "all")),
    ),
    "inside": (
        _choice("model", zoo.shipped_architecture() or "resnet18", list_models()),
        _choice("image", "shapes_circle.png", _examples()),
        _choice("weights", "auto", ("auto", "imagenet", "shapes", "random")),
        _choice("method", "gradcam", cam.METHODS),
        Control("layer", "layer", None),
        _choice("method2", "layercam", cam.METHODS),
        Control("layer2", "layer", None),
        _float("opacity", 0.5, 0.0, 1.0),
        Control("fmlayer", "layer", None),
    ),
    "ab": (  # the A/B tab (lab/ui/ab.py DEFAULTS): the shipped network's Shapes weights against random ones
        _choice("a", zoo.shipped_architecture() or "resnet18", list_models()),
        _choice("wa", "auto", ("auto", "imagenet", "shapes", "random")),
        _choice("b", zoo.shipped_architecture() or "resnet18", list_models()),
        _choice("wb", "random", ("auto", "imagenet", "shapes", "random")),
        _choice("image", "shapes_circle.png", _examples()),
        _choice("method", "gradcam", cam.METHODS),
    ),
    "scaling": (
        _choice("mode", "compound", ("compound", "free")),
        _float("phi", 1.0, *S.PHI_RANGE),
        _float("alpha", S.ALPHA, *S.COEFF_RANGE),
        _float("beta", S.BETA, *S.COEFF_RANGE),
        _float("gamma", S.GAMMA, *S.COEFF_RANGE),
        _float("w", _compound(0), *S.WIDTH_RANGE, derived=_compound_mode),
        _float("d", _compound(1), *S.DEPTH_RANGE, derived=_compound_mode),
        _int("r", _compound(2), *S.RESOLUTION_RANGE, derived=_compound_mode),
        _float("ma", 1.0, *S.MOBILENET_ALPHA_RANGE),
        _int("mr", S.MOBILENET_BASE, S.MOBILENET_STEP, S.MOBILENET_BASE),
    ),
    "train": (
        _choice("model", T.TrainConfig.model, list_models()),
        _choice("data", "shapes", ("shapes", "mnist", "fashion-mnist", "cifar10")),
        _choice("mode", "scratch", transfer.MODES),
        _int("epochs", T.TrainConfig.epochs, 1, 50),
        _int("size", T.TrainConfig.image_size, 32, 320),
        _choice("batch", str(T.TrainConfig.batch_size), ("8", "16", "32", "64", "128", "256")),
        _float("lr", lambda s: transfer.MODES[s["mode"]].lr, 1e-6, 10),
        _choice("aug", T.TrainConfig.augmentation, augment.AUGMENTATIONS),
        _choice("opt", T.TrainConfig.optimizer, T.OPTIMIZERS),
        _int("n_train", T.TrainConfig.train_size, 0, 1_000_000),
        _int("n_val", T.TrainConfig.val_size, 0, 1_000_000),
        _int("seed", T.TrainConfig.seed, 0, 2**31 - 1),
    ),
    "layers": (  # the convolution arithmetic (lab/ui/layers.py BOXES: tests/test_lesson.py checks the ranges)
        _int("size", 224, 1, 512), _int("cin", 3, 1, 1024), _int("cout", 64, 1, 1024), _int("k", 7, 1, 11),
        _int("s", 2, 1, 8), _int("p", 3, 0, 10), _int("d", 1, 1, 6), _int("g", 1, 1, 1024),
        Control("bias", "bool", False),
        _float("beta", 1.0, 0, 10), _float("t", 1.0, 0.1, 10),
    ),
}
DEFAULT_TAB = "architecture"


def controls(tab: str) -> dict[str, Control]:
    """The linkable controls of ``tab``, by key."""
    return {c.key: c for c in TABS[tab]}


def _shown(raw: Any) -> str:
    return repr(str(raw)[:40])


def _fill(tab: str, given: Mapping[str, Any], notes: list[str] | None) -> State:
    """Every control of ``tab``: its value from ``given`` or its default. A bad value is its default, with a note
    (``notes`` a list) or a ValueError (``notes`` None: the API's strict reading)."""
    state: State = {"tab": tab}
    for c in TABS[tab]:
        if c.key in given and not (c.derived and c.derived(state)):
            try:
                state[c.key] = c.parse(given[c.key])
                continue
            except ValueError as e:
                if notes is None:
                    raise ValueError(f"The lesson link's {c.key} must be {e}, not {_shown(given[c.key])}.") from None
                state[c.key] = c.default_for(state)
                notes.append(f"{c.key}={_shown(given[c.key])} in the link is not {e}; "
                             f"{c.text(state[c.key]) if state[c.key] is not None else 'the default'} is used instead.")
                continue
        state[c.key] = c.default_for(state)
    return state


def _hidden(tab: str, raw: Any, notes: list[str] | None) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else [raw or ""]
    keys = controls(tab)
    hidden = []
    for item in items:
        name = item.strip() if isinstance(item, str) else _shown(item)
        if name in keys:
            if name not in hidden:
                hidden.append(name)
        elif name:
            if notes is None:
                raise ValueError(f"The {tab} tab has no control {_shown(name)} to hide; its controls are: "
                                 f"{', '.join(keys)}.")
            notes.append(f"The link hides {_shown(name)}, which the {tab} tab does not have: ignored.")
    return hidden


def decode(query: Mapping[str, Any] | str) -> tuple[State, list[str]]:
    """A lesson link's state from its query (``request.query_params``, a dict, or ``"tab=inside&model=..."``).

    Returns ``(state, notes)``: ``state`` has ``"tab"``, every control of that tab (linked or default) and
    ``"hide"`` (a list of control keys); ``notes`` are English sentences, one per value that fell back to its
    default (lab/ui/text/errors.py has their Chinese). Unknown keys are ignored; nothing raises. An empty
    query gives the default tab's defaults and no notes.
    """
    if isinstance(query, str):
        query = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    # An empty value ("method=") says nothing: the default, without a note.
    given = {str(k): (v if not isinstance(v, str) else v[:MAX_VALUE_CHARS]) for k, v in dict(query).items()
             if v != ""}
    notes: list[str] = []
    tab = given.get("tab", DEFAULT_TAB)
    if not isinstance(tab, str) or tab not in TABS:
        notes.append(f"The link's tab={_shown(tab)} is not a tab of CNN Lab ({', '.join(TABS)}); the "
                     f"{DEFAULT_TAB} tab opens.")
        tab = DEFAULT_TAB
    state = _fill(tab, given, notes)
    state["hide"] = _hidden(tab, given.get("hide", ""), notes)
    return state, notes


def encode(state: Mapping[str, Any]) -> str:
    """The query string of ``state`` (``{"tab": ..., key: value, ..., "hide": [...]}``): ``tab`` first, then the
    tab's controls in schema order, each only where it differs from its default, then ``hide``. Keys outside
    the tab's schema are ignored. Raises ValueError with a sentence for an unknown tab or an unusable value."""
    tab = state.get("tab", DEFAULT_TAB)
    if not isinstance(tab, str) or tab not in TABS:
        raise ValueError(f"CNN Lab has no tab {_shown(tab)}; send one of: {', '.join(TABS)}.")
    full = _fill(tab, state, None)
    pairs = [("tab", tab)]
    for c in TABS[tab]:
        value = full[c.key]
        if value is not None and not _same(value, c.default_for(full)):
            pairs.append((c.key, c.text(value)))
    hidden = _hidden(tab, state.get("hide", []), None)
    if hidden:
        pairs.append(("hide", ",".join(hidden)))
    return urlencode(pairs, quote_via=quote, safe=",")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return b is not None and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b
