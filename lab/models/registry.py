"""The model registry: names -> builders and model cards.

Each family file declares a :class:`Paper` once and decorates its public builders with
:func:`register_model`, so the list of models is data (the timm idea), not an if-chain. Importing
``lab.models`` imports every family file, which fills the registry.

Names beginning with ``timm:`` (``timm:convnext_tiny``) build any timm architecture, for students who
want to go past the course list.
"""
from __future__ import annotations

import difflib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

import timm
import torch.nn as nn

from lab.models import weights as lw
from lab.models.weights import IMAGENET_MEAN, IMAGENET_STD, KeyMap, Preprocessing, Pretrained, Published

TIMM_PREFIX = "timm:"


@dataclass(frozen=True)
class Paper:
    """What a family's card says about the paper that introduced it."""

    family: str  # display name, e.g. "ResNet"
    year: int
    title: str
    arxiv: str  # link to the paper (arXiv where there is one)
    key_idea: str  # one sentence a student can remember


@dataclass(frozen=True)
class Entry:
    """One registered model: how to build it and what its card shows."""

    name: str
    builder: Callable[..., nn.Module]
    paper: Paper
    input_size: tuple[int, int, int]  # (C, H, W) the model is usually fed
    cam_layer: str  # qualified module name Grad-CAM targets by default
    weights: Pretrained | None = None  # its published ImageNet weights, if any
    note: str = ""  # anything variant-specific worth a sentence on the card
    num_classes: int = 1000  # its builder's default: 10 for LeNet-5 (digits), 1000 (ImageNet) for the rest
    like: str = ""  # a course variant's torchvision counterpart (alexnet_2012 -> "alexnet"), for its card

    @property
    def tv_weights(self) -> str | None:
        """The torchvision weights enum's name ("ResNet50_Weights"), or None."""
        return self.weights.name if self.weights and self.weights.source == "torchvision" else None

    @property
    def timm_weights(self) -> str | None:
        """The timm model whose pretrained weights fit ("mobilenetv1_100"), or None."""
        return self.weights.name if self.weights and self.weights.source == "timm" else None

    def preprocessing(self, pretrained: bool = True) -> Preprocessing:
        """How to feed this model: its published weights' transform, or (``pretrained=False``, or no
        published weights) the ImageNet convention at its usual input size."""
        return lw.preprocessing_for(self.weights if pretrained else None, self.input_size)


_MODELS: dict[str, Entry] = {}


def register_model(
    name: str,
    paper: Paper,
    *,
    cam_layer: str,
    input_size: tuple[int, int, int] = (3, 224, 224),
    tv_weights: str | None = None,
    timm_weights: str | None = None,
    key_map: KeyMap | None = None,
    after_load: Callable[[nn.Module], None] | None = None,
    note: str = "",
    like: str = "",
) -> Callable[[Callable[..., nn.Module]], Callable[..., nn.Module]]:
    """Decorator that adds a builder ``fn(num_classes=1000, **kwargs) -> nn.Module`` to the registry.

    ``tv_weights`` (a torchvision enum name) or ``timm_weights`` (a timm model name) names the published
    weights; ``key_map`` renames their keys to lab's and ``after_load(model)`` runs once they are loaded.
    ``like`` names the torchvision network a course variant differs from (its card shows both's figures).
    """
    if tv_weights and timm_weights:
        raise RuntimeError(f"model {name!r}: name torchvision or timm weights, not both")
    source = "torchvision" if tv_weights else "timm"
    weights = Pretrained(source, tv_weights or timm_weights, key_map, after_load) if tv_weights or timm_weights else None

    def add(builder: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
        if name in _MODELS:
            raise RuntimeError(f"model {name!r} is registered twice")
        default = inspect.signature(builder).parameters.get("num_classes")
        classes = default.default if default is not None and isinstance(default.default, int) else 1000
        _MODELS[name] = Entry(name, builder, paper, input_size, cam_layer, weights, note, classes, like)
        return builder

    return add


def list_models() -> list[str]:
    """Every course model, in the order the course teaches them (registration order)."""
    return list(_MODELS)


def get_entry(name: str) -> Entry:
    """The registry entry of a course model; an unknown name raises ValueError with close matches."""
    if not isinstance(name, str):  # a number or a list from the API: unknown, not a crash
        raise ValueError(_unknown_message(str(name)[:60]))
    try:
        return _MODELS[name]
    except KeyError:
        raise ValueError(_unknown_message(name)) from None


def _unknown_message(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), list(_MODELS), n=5, cutoff=0.5)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return (
        f"Unknown model {name!r}.{hint} Call list_models() for the course models, "
        f"or write 'timm:<name>' for any timm architecture."
    )


def create_model(name: str, num_classes: int | None = None, pretrained: bool = False, **kwargs: Any) -> nn.Module:
    """Build a model by name.

    Args:
        name: a name from :func:`list_models`, or ``timm:<architecture>``.
        num_classes: size of the classifier's output; None = the model's own (:attr:`Entry.num_classes`:
            10 for LeNet-5, 1000 for the ImageNet networks and timm architectures).
        pretrained: load ImageNet weights (torchvision's; timm's for ``mobilenet_v1`` and ``timm:``
            names). With ``num_classes != 1000`` every weight but the classifier's is loaded.
        **kwargs: passed to the family's builder (``width_mult``, ``aux_logits``, ``dropout``…).

    Raises:
        ValueError: unknown name, or a bad argument for that builder.
        lab.models.weights.WeightsUnavailable: ``pretrained=True`` and the weights are neither cached
            nor downloadable.
    """
    if name.startswith(TIMM_PREFIX):
        num_classes = 1000 if num_classes is None else num_classes
        _check_num_classes(num_classes)
        return _create_timm(name[len(TIMM_PREFIX):], num_classes, pretrained, **kwargs)
    entry = get_entry(name)
    num_classes = entry.num_classes if num_classes is None else num_classes
    _check_num_classes(num_classes)
    try:
        model = entry.builder(num_classes=num_classes, **kwargs)
    except TypeError as e:  # an option this family does not have
        raise ValueError(f"{name} does not accept those options ({e}).") from None
    if pretrained:
        lw.load_pretrained(model, entry.weights, name)
    return model


def _check_num_classes(num_classes: Any) -> None:
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, not {num_classes!r}.")


def _create_timm(arch: str, num_classes: int, pretrained: bool, **kwargs: Any) -> nn.Module:
    if arch not in timm.list_models():
        close = difflib.get_close_matches(arch, timm.list_models(), n=5, cutoff=0.6)
        hint = f" Did you mean {', '.join(TIMM_PREFIX + c for c in close)}?" if close else ""
        raise ValueError(f"timm has no architecture named {arch!r}.{hint}")
    if pretrained:
        return lw.create_timm_pretrained(arch, num_classes, **kwargs)
    return timm.create_model(arch, pretrained=False, num_classes=num_classes, **kwargs)


@dataclass
class ModelInfo:
    """A model card: what the UI shows next to a network."""

    name: str
    family: str
    year: int | None
    paper: str
    arxiv: str
    key_idea: str
    input_size: tuple[int, int, int]
    cam_layer: str | None
    note: str = ""
    mean: tuple[float, float, float] = IMAGENET_MEAN  # normalisation the pretrained weights expect
    std: tuple[float, float, float] = IMAGENET_STD
    weights: str | None = None  # the weights pretrained=True loads, e.g. "ResNet50_Weights.IMAGENET1K_V2"
    # Published ImageNet figures, the paper-era recipe first (lab.models.weights: torchvision's IMAGENET1K_V1,
    # or the paper's table), then a newer recipe's where torchvision's default weights use one.
    figures: list[Published] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    # The course compares networks by their paper-recipe figures (None where none are published); gflops are
    # GMACs (torchvision's "GFLOPS" metadata and the papers' mult-adds count multiply-accumulates).
    acc1 = property(lambda self: _paper_figure(self, "acc1"))
    acc5 = property(lambda self: _paper_figure(self, "acc5"))
    gflops = property(lambda self: _paper_figure(self, "gmacs"))
    num_params = property(lambda self: _paper_figure(self, "num_params"))


def _paper_figure(info: ModelInfo, key: str) -> Any:
    return getattr(info.figures[0], key) if info.figures else None


def model_info(name: str) -> ModelInfo:
    """The card of a model. Works offline: torchvision's weight metadata ships with the package."""
    if name.startswith(TIMM_PREFIX):
        return _timm_info(name[len(TIMM_PREFIX):])
    e = get_entry(name)
    spec = e.preprocessing()
    info = ModelInfo(
        name=name,
        family=e.paper.family,
        year=e.paper.year,
        paper=e.paper.title,
        arxiv=e.paper.arxiv,
        key_idea=e.paper.key_idea,
        input_size=e.input_size,
        cam_layer=e.cam_layer,
        note=e.note,
        mean=spec.mean,
        std=spec.std,
    )
    if e.weights is not None:
        info.weights = e.weights.meta["weights"]
        info.figures = e.weights.figures or ([lw.PAPER_FIGURES[name]] if name in lw.PAPER_FIGURES else [])
    return info


def _timm_info(arch: str) -> ModelInfo:
    if arch not in timm.list_models():
        _create_timm(arch, 1000, False)  # raises the ValueError with suggestions
    cfg = timm.models.get_pretrained_cfg(arch)
    input_size = tuple(cfg.input_size) if cfg is not None else (3, 224, 224)
    spec = lw.timm_preprocessing(arch)
    mean, std = spec.mean, spec.std
    family = timm.models.get_arch_name(arch) if hasattr(timm.models, "get_arch_name") else arch
    return ModelInfo(
        name=TIMM_PREFIX + arch,
        family=f"timm ({family})",
        year=None,
        paper=(cfg.paper_name or "") if cfg is not None and getattr(cfg, "paper_name", None) else "",
        arxiv=(cfg.paper_ids or "") if cfg is not None and isinstance(getattr(cfg, "paper_ids", None), str) else "",
        key_idea="A timm architecture outside the course list: see its paper for the idea.",
        input_size=input_size,  # type: ignore[arg-type]
        cam_layer=None,  # lab.cam falls back to the last 4-D activation
        mean=mean,  # type: ignore[arg-type]
        std=std,  # type: ignore[arg-type]
        weights=f"timm {cfg.hf_hub_id or arch}" if cfg is not None else None,
    )
