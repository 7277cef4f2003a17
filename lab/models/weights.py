"""Pretrained weights, and what each set of weights expects of its input.

As in torchvision (``weights.transforms()``, ``weights.meta["categories"]``), what a model's weights
expect lives with the weights, apart from the architecture: one :class:`Pretrained` record per published
source (a torchvision weights enum, or a timm model name), holding how its keys map onto lab's module
names, what to fix after loading, and — read from the source itself — the input normalisation, resize and
crop, and the class names. :func:`preprocessing_for` is the one place every caller (the Inside tab,
fine-tuning, the evaluation-crop readers) asks how to feed a model.

Offline, with nothing cached, :meth:`Pretrained.state_dict` raises :class:`WeightsUnavailable` with a
sentence the UI can show; the app then goes on with random weights and says so.

This module is a leaf: it imports nothing from ``lab``, so the registry and every family file may use it.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Literal

import torch
import torch.nn as nn

# The statistics of ImageNet's training images, which torchvision's weights (and lab's own runs) normalise
# with: x' = (x − mean) / std per channel, x in [0, 1] (course notes: transforms.Normalize).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
# Google's Inception weights (and timm's MobileNet v1) were trained on (x − 0.5) / 0.5, i.e. [-1, 1].
INCEPTION_MEAN = (0.5, 0.5, 0.5)
INCEPTION_STD = (0.5, 0.5, 0.5)
CROP_RATIO = 0.875  # ImageNet's evaluation convention: resize the shorter side to 256, cut the centre 224


@dataclass(frozen=True)
class Preprocessing:
    """How a model wants its input: torchvision's evaluation transform, as numbers."""

    crop_size: int = 224
    resize_size: int = 256  # the shorter side before the centre crop; == crop_size for "no crop"
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    grey: bool = False  # one input channel (LeNet-5): the luminance, normalised with mean[0], std[0]

    def channel_stats(self, channels: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """``(mean, std)`` for ``channels`` input channels: the three values, or for one grey channel
        the mean of the three (what lab's trainer and its checkpoints use for LeNet-5 on MNIST)."""
        if channels == 3:
            return tuple(self.mean), tuple(self.std)
        return (sum(self.mean) / 3,), (sum(self.std) / 3,)


def default_preprocessing(input_size: tuple[int, int, int] = (3, 224, 224)) -> Preprocessing:
    """The input of a model without published weights (random init, or lab's own training runs): ImageNet
    statistics, the 0.875 evaluation crop for ImageNet-sized inputs, a plain resize for small ones."""
    c, size = input_size[0], input_size[1]
    resize = size if size < 64 else round(size / CROP_RATIO)
    if c == 1:  # grey: the same single statistic for the one channel (shown as three equal values)
        mean, std = (sum(IMAGENET_MEAN) / 3,) * 3, (sum(IMAGENET_STD) / 3,) * 3
        return Preprocessing(size, resize, mean, std, grey=True)  # type: ignore[arg-type]
    return Preprocessing(size, resize)


class WeightsUnavailable(ValueError):
    """Pretrained weights are neither in the local cache nor downloadable (e.g. no network)."""


KeyMap = Callable[[dict[str, torch.Tensor]], dict[str, torch.Tensor]]


@dataclass(frozen=True)
class Pretrained:
    """One published set of ImageNet-1k weights for a lab model.

    ``source`` is ``"torchvision"`` (``name`` a weights enum such as ``"ResNet50_Weights"``; its DEFAULT
    member is used) or ``"timm"`` (``name`` a timm model whose pretrained weights fit, e.g.
    ``"mobilenetv1_100"``). ``key_map`` renames the checkpoint's keys to lab's (timm's idea of
    ``pretrained_filter_fn``); ``after_load`` adjusts the model once the weights are in (GoogLeNet's
    input rescaling). Preprocessing, class names and published figures are read from the source's own
    metadata, which ships with the packages: nothing here needs the network.
    """

    source: Literal["torchvision", "timm"]
    name: str
    key_map: KeyMap | None = None
    after_load: Callable[[nn.Module], None] | None = None

    @property
    def enum(self) -> Any:
        """The torchvision weights enum member (its DEFAULT); ValueError for timm weights."""
        if self.source != "torchvision":
            raise ValueError(f"timm weights {self.name} have no torchvision enum.")
        return _torchvision_enum(self.name)

    @property
    def label(self) -> str:
        """'torchvision ResNet50_Weights.IMAGENET1K_V2' or 'timm mobilenetv1_100'."""
        return f"torchvision {self.enum}" if self.source == "torchvision" else f"timm {self.name}"

    @property
    def preprocessing(self) -> Preprocessing:
        """The evaluation transform these weights were measured with (crop, resize, mean, std)."""
        return _preprocessing(self.source, self.name)

    @property
    def categories(self) -> list[str]:
        """The 1,000 ImageNet class names, in the order of the classifier's outputs."""
        if self.source == "torchvision":
            return list(self.enum.meta["categories"])
        return imagenet_categories()  # timm's in1k weights use the same classes in the same order

    @property
    def figures(self) -> list["Published"]:
        """The ImageNet figures published for these weights, the paper-era recipe first: torchvision's
        IMAGENET1K_V1 (the course compares networks with these), then its DEFAULT where that is a newer
        recipe (ResNet-50's IMAGENET1K_V2: 80.858 % against 76.130 %). timm's weights ship no figures:
        :data:`PAPER_FIGURES` holds the paper's for them."""
        if self.source != "torchvision":
            return []
        members = [self.paper_member] + ([self.enum] if self.enum != self.paper_member else [])
        return [published(str(w)) for w in members]

    @property
    def paper_member(self) -> Any:
        """The torchvision weights trained with the paper-era recipe (IMAGENET1K_V1)."""
        return self.enum.__class__["IMAGENET1K_V1"]

    @property
    def meta(self) -> dict[str, Any]:
        """Published figures: ``acc1``, ``acc5``, ``gmacs`` (torchvision's "GFLOPS" are multiply-adds),
        ``num_params`` and ``weights`` (the exact member); empty values where the source has none."""
        if self.source != "torchvision":
            return {"weights": self.label}
        w = self.enum
        metrics = w.meta.get("_metrics", {}).get("ImageNet-1K", {})
        return {"weights": str(w), "acc1": metrics.get("acc@1"), "acc5": metrics.get("acc@5"),
                "gmacs": w.meta.get("_ops"), "num_params": w.meta.get("num_params")}

    def is_cached(self) -> bool:
        """Whether the file is already on disk (loading then needs no network). timm's Hub cache is
        not looked into: False means "may need a download"."""
        return self.source == "torchvision" and os.path.exists(cache_path(self.enum.url))

    def state_dict(self, model_name: str = "") -> dict[str, torch.Tensor]:
        """The checkpoint in lab's key names (cache first, then a download); ``model_name`` is for messages.

        Raises:
            WeightsUnavailable: neither cached nor downloadable.
        """
        what = model_name or self.label
        if self.source == "torchvision":
            raw = _fetch_torchvision(self.enum, what)
        else:
            raw = _fetch_timm(self.name, what)
        return self.key_map(raw) if self.key_map else raw


@dataclass(frozen=True)
class Published:
    """One published ImageNet-1k result: whose it is (``label``), under which recipe, and its figures.

    ``label`` is a torchvision weights name (``"ResNet50_Weights.IMAGENET1K_V1"``) or a paper's table;
    ``paper_recipe`` says whether the training recipe is the paper's era (torchvision's V1 weights, a paper's
    own table) or a newer one (torchvision's 2021 recipe, V2). ``gmacs``: multiply-accumulates (torchvision's
    "GFLOPS" and the papers' "mult-adds" both count them); ``resolution``: the evaluation crop.
    """

    label: str
    paper_recipe: bool
    acc1: float
    acc5: float | None
    gmacs: float
    num_params: int
    resolution: int

    @property
    def recipe(self) -> str:
        """'paper recipe' or 'newer recipe' (the key of the sentence the UI shows)."""
        return "paper recipe" if self.paper_recipe else "newer recipe"


def published(weights: str) -> Published:
    """The figures torchvision publishes with ``weights`` (e.g. ``"ResNet50_Weights.IMAGENET1K_V1"``), from
    its metadata (offline). The V1 weights are the paper-era recipe; later ones (V2) a newer recipe."""
    from torchvision import models as tvm

    w = tvm.get_weight(weights)
    m = w.meta["_metrics"]["ImageNet-1K"]
    crop = w.transforms().crop_size
    return Published(str(w), w.name == "IMAGENET1K_V1", m["acc@1"], m["acc@5"], w.meta["_ops"],
                     w.meta["num_params"], int(crop[0] if isinstance(crop, (list, tuple)) else crop))


# Networks whose weights ship no figures (timm's MobileNet v1 weights, trained in 2024 with a much longer
# recipe): the paper's own result. MobileNet v1 paper, Table 8: 1.0 MobileNet-224, 70.6 % top-1,
# 569 million mult-adds, 4.2 million parameters.
PAPER_FIGURES = {
    "mobilenet_v1": Published("MobileNet v1 paper, Table 8", True, 70.6, None, 0.569, 4_200_000, 224),
}


def preprocessing_for(weights: Pretrained | None, input_size: tuple[int, int, int] = (3, 224, 224)) -> Preprocessing:
    """How to feed a model whose weights are ``weights`` (None: random or lab-trained weights).

    The one source of a normalisation in lab: published weights bring their own transform
    (:attr:`Pretrained.preprocessing`: MobileNet v1's timm weights expect mean = std = 0.5, EfficientNet-B2's
    torchvision weights a 288 px crop); otherwise :func:`default_preprocessing` of ``input_size``.
    """
    return weights.preprocessing if weights is not None else default_preprocessing(input_size)


def imagenet_categories() -> list[str]:
    """ImageNet-1k's class names in the standard order (torchvision's metadata; no download)."""
    return list(_torchvision_enum("ResNet18_Weights").meta["categories"])


@functools.lru_cache(maxsize=None)
def _torchvision_enum(name: str) -> Any:
    from torchvision import models as tvm

    return getattr(tvm, name).DEFAULT


@functools.lru_cache(maxsize=None)
def _preprocessing(source: str, name: str) -> Preprocessing:
    if source == "torchvision":
        t = _torchvision_enum(name).transforms()
        crop = t.crop_size[0] if isinstance(t.crop_size, (list, tuple)) else t.crop_size
        resize = t.resize_size[0] if isinstance(t.resize_size, (list, tuple)) else t.resize_size
        return Preprocessing(int(crop), int(resize), tuple(t.mean), tuple(t.std))  # type: ignore[arg-type]
    return timm_preprocessing(name)


def timm_preprocessing(arch: str) -> Preprocessing:
    """The evaluation transform of a timm architecture's default pretrained weights (timm's
    ``pretrained_cfg``: input size, ``crop_pct``, mean, std), or the ImageNet default when it has none."""
    import timm

    cfg = timm.models.get_pretrained_cfg(arch)
    if cfg is None:
        return default_preprocessing()
    size = int(cfg.input_size[-1])
    crop_pct = cfg.crop_pct or CROP_RATIO
    return Preprocessing(size, int(size / crop_pct), tuple(cfg.mean), tuple(cfg.std))  # type: ignore[arg-type]


def timm_hub_id(arch: str) -> str | None:
    """The Hugging Face Hub repository timm downloads ``arch``'s default pretrained weights from (None: none)."""
    import timm

    cfg = timm.models.get_pretrained_cfg(arch)
    return cfg.hf_hub_id if cfg is not None else None


def cache_path(url: str) -> str:
    """Where ``torch.hub`` keeps the file downloaded from ``url`` ($TORCH_HOME/hub/checkpoints/...)."""
    return os.path.join(torch.hub.get_dir(), "checkpoints", os.path.basename(url))


def _fetch_torchvision(enum_member: Any, what: str) -> dict[str, torch.Tensor]:
    url = enum_member.url
    path = cache_path(url)
    if not os.path.exists(path):
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            torch.hub.download_url_to_file(url, path, progress=False)
        except Exception as e:  # URLError, socket errors, HTTP errors: all mean "not reachable"
            if os.path.exists(path + ".partial"):
                os.remove(path + ".partial")
            raise WeightsUnavailable(
                f"Pretrained weights for {what} are not in the cache and cannot be downloaded "
                f"({type(e).__name__}). Connect to the internet once, or copy {enum_member}'s file to {path}."
            ) from e
    # A checkpoint is user-replaceable input: never unpickle arbitrary objects.
    return _upgrade_keys(torch.load(path, map_location="cpu", weights_only=True))


def _fetch_timm(arch: str, what: str) -> dict[str, torch.Tensor]:
    import timm

    try:
        return timm.create_model(arch, pretrained=True).state_dict()
    except Exception as e:
        raise WeightsUnavailable(
            f"Pretrained weights for {what} are not in the cache and cannot be downloaded "
            f"({type(e).__name__}). Connect to the internet once: timm keeps them in the Hugging Face cache."
        ) from e


# torchvision's DenseNet checkpoints predate module names with dots removed ("norm.1" -> "norm1").
_DENSENET_OLD_KEY = re.compile(
    r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"
)


def _upgrade_keys(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out = {}
    for key, value in state_dict.items():
        m = _DENSENET_OLD_KEY.match(key)
        out[m.group(1) + m.group(2) if m else key] = value
    return out


def load_state_dict_into(model: nn.Module, state_dict: dict[str, torch.Tensor], name: str) -> list[str]:
    """Load a full ImageNet state_dict strictly, except for what the model legitimately lacks.

    Two differences are allowed, and reported in the returned list of skipped keys:
    - auxiliary heads (``aux1``, ``aux2``, ``AuxLogits``) in the checkpoint when the model was built
      without them (GoogLeNet / Inception-v3 with ``aux_logits=False``);
    - classifier tensors whose shape differs because the model has another ``num_classes``.
    Everything else must match exactly, or a ValueError explains which keys did not.
    """
    own = model.state_dict()
    kept, skipped = {}, []
    for key, value in _upgrade_keys(state_dict).items():
        if key not in own and re.match(r"^(aux1|aux2|AuxLogits)\.", key):
            skipped.append(key)
        elif key in own and own[key].shape != value.shape and value.shape[:1] == (1000,):
            skipped.append(key)  # the classifier of another number of classes
        else:
            kept[key] = value
    # Checkpoints from before PyTorch 0.4.1 (torchvision's DenseNets) carry no BatchNorm step counter;
    # load_state_dict leaves those buffers as they are, which is harmless at inference.
    missing = [k for k in own if k not in kept and k not in skipped and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in kept if k not in own]
    if missing or unexpected:
        raise ValueError(
            f"The pretrained weights do not fit lab's {name}: missing {missing[:5]}, unexpected "
            f"{unexpected[:5]}. This is a bug in lab's definition; please report it."
        )
    result = model.load_state_dict(kept, strict=False)
    leftover = [k for k in result.missing_keys if k not in skipped and not k.endswith("num_batches_tracked")]
    if leftover:
        raise ValueError(f"The pretrained weights left {leftover[:5]} of lab's {name} unset; please report it.")
    return skipped


def load_pretrained(model: nn.Module, weights: Pretrained | None, name: str) -> nn.Module:
    """Load ``weights`` into ``model`` (in place), run their ``after_load``, and return the model.

    Raises:
        WeightsUnavailable: no published weights for ``name``, or none reachable.
    """
    if weights is None:
        raise WeightsUnavailable(
            f"There are no published ImageNet weights for {name}; train it in the Train tab instead."
        )
    load_state_dict_into(model, weights.state_dict(name), name)
    if weights.after_load is not None:
        weights.after_load(model)
    return model


def create_timm_pretrained(arch: str, num_classes: int, **kwargs: Any) -> nn.Module:
    """A timm architecture with its pretrained weights, or WeightsUnavailable offline."""
    import timm

    try:
        return timm.create_model(arch, pretrained=True, num_classes=num_classes, **kwargs)
    except Exception as e:
        raise WeightsUnavailable(
            f"Pretrained weights for timm:{arch} are not in the cache and cannot be downloaded "
            f"({type(e).__name__}). The model runs with random weights."
        ) from e
