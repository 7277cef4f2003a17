"""The best weights available for a course model, with what they expect of their input.

:func:`load_inside_model` gives a model with the best weights available, in order: ImageNet (cached or
downloadable), the Shapes model shipped in ``assets/`` (:func:`load_demo_model`) if it has this
architecture, random weights; and says which and why. Whatever it returns is fed as its weights expect:
the preprocessing comes from the weights' own record (:attr:`lab.models.weights.Pretrained.preprocessing`),
the registry's convention for random weights (:meth:`Entry.preprocessing`), or the checkpoint's config
(:func:`lab.checkpoint.checkpoint_preprocessing`). Nothing here knows a mean, a std or a crop ratio.

A teacher can also look inside a network CNN Lab trained (``weights="checkpoint"`` with a checkpoint file:
an upload, or the Train tab's latest run from :mod:`lab.runs`), and supply ImageNet weights by file where
the download is impossible (:func:`install_imagenet_weights`; :func:`use_weights_file` tells the two apart).
Each :class:`InsideModel` carries a lock: the Inside tab serves several requests at once, and a CAM
switches hooks and ``requires_grad`` flags on the shared module, so one request runs a model at a time.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import torch
import torch.nn as nn

from lab.cam import cam_layer_for_size
from lab.checkpoint import checkpoint_preprocessing, load_checkpoint
from lab.features import LayerShape, spatial_layers
from lab.images import ImageSource, Preprocessed, load_image, preprocess
from lab.models import create_model, get_entry
from lab.models.weights import Preprocessing, cache_path, imagenet_categories, load_state_dict_into

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEMO_CHECKPOINT = ASSETS / "shapes_model.pt"

WeightsKind = Literal["imagenet", "shapes", "random", "checkpoint"]
RANDOM_SEED = 0  # "random" weights: the builder's initialisation drawn from this seed
WEIGHTS = ("auto", "imagenet", "shapes", "random", "checkpoint")
DATASET_NAMES = {"shapes": "Shapes", "mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}


@dataclass
class InsideModel:
    """A model ready for the Inside tab, with everything needed to feed and explain it."""

    name: str
    model: nn.Module
    class_names: list[str]
    preprocessing: Preprocessing
    weights: WeightsKind
    detail: str  # which weights exactly (enum member, checkpoint file…)
    reason: str = ""  # why better weights were not used, if they were not
    cam_layer: str = ""
    # Held while a request runs the model. dataclasses.replace passes it on: a copy shares model and lock.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def image_size(self) -> int:
        return self.preprocessing.crop_size

    def prepare(self, image: ImageSource) -> Preprocessed:
        """Any image a student gives (path, upload, PIL image…) as these weights expect it: loaded,
        resized, cropped and normalised, with the steps described (:func:`lab.images.preprocess`)."""
        return preprocess(load_image(image), self.preprocessing)

    @functools.cached_property
    def layers(self) -> list[LayerShape]:
        """The modules with a C×H×W output at this model's input size, in forward order."""
        channels = 1 if self.preprocessing.grey else 3
        return spatial_layers(self.model, (channels, self.image_size, self.image_size))

    @property
    def cam_layers(self) -> list[LayerShape]:
        """The layers a CAM can target: those that run once per pass (a shared module's map is ambiguous)."""
        return [r for r in self.layers if r.calls == 1]


# ------------------------------------------------------------------------------ the shipped Shapes model


def load_demo_model(path: str | Path = DEMO_CHECKPOINT) -> tuple[nn.Module, list[str], int]:
    """The Shapes model shipped in ``assets/``: ``(model in eval mode, class names, image size)``.

    Raises:
        ValueError: the checkpoint is missing or unreadable (its message says how to rebuild it).
    """
    m = _load_shapes(Path(path))
    return m.model, m.class_names, m.image_size


def shipped_architecture(path: str | Path = DEMO_CHECKPOINT) -> str | None:
    """The course model name the shipped Shapes checkpoint was trained as, or None if there is none."""
    try:
        return _load_shapes(Path(path)).name
    except ValueError:
        return None


@functools.lru_cache(maxsize=2)
def _load_shapes(path: Path) -> InsideModel:
    if not path.is_file():
        raise ValueError(
            f"The shipped Shapes model is missing ({path}). Rebuild it with the command in assets/README.md."
        )
    return _from_checkpoint(path, "shapes")


def _from_checkpoint(path: Path, kind: WeightsKind) -> InsideModel:
    """A checkpoint CNN Lab wrote, fed as its config says (ValueError with a sentence for a wrong file)."""
    model, config, class_names = load_checkpoint(str(path))
    spec = checkpoint_preprocessing(config)
    name, size = str(config["model"]), spec.crop_size
    data = str(config.get("dataset", "its data"))
    data = DATASET_NAMES.get(data, os.path.basename(data))
    shown = ", ".join(class_names[:10]) + (f"… {len(class_names)} classes" if len(class_names) > 10 else "")
    detail = f"{path.name}: {name} trained by CNN Lab on {data} ({shown}) at {size}×{size} px"
    output_stride = int(config.get("output_stride", 32))
    if output_stride != 32:
        detail += (f", output stride {output_stride}: its last stages use dilated (atrous) convolutions instead of "
                   f"striding, as in the paper's segmentation network, so its heat maps are {32 // output_stride}× "
                   f"finer ({size // output_stride}×{size // output_stride} cells) with the same weights")
    return InsideModel(name, model, list(class_names), spec, kind, detail,
                       cam_layer=cam_layer_for_size(model, name, size))


# ----------------------------------------------------------------------------------- the best weights


_DOWNLOAD_FAILED: dict[str, tuple[float, str]] = {}  # name -> (when, why): don't retry for a while
_RETRY_AFTER_S = 600.0


_LOADING = threading.Lock()  # two requests for one model build it once


def load_inside_model(name: str, weights: str = "auto", checkpoint: str | Path | None = None) -> InsideModel:
    """A course model with the best weights available, and a note saying which ones.

    ``auto`` tries, in order: ImageNet weights (cached, or downloaded if the network allows; a failed
    download is not retried for 10 minutes), the shipped Shapes model if it has this architecture,
    random weights. ``imagenet``/``shapes`` insist on those weights (ValueError if unavailable);
    ``random`` never loads any; ``checkpoint`` loads ``checkpoint``, a file CNN Lab wrote, which must
    hold a ``name``. Models are cached: the same call returns the same object.
    """
    get_entry(name)  # ValueError for an unknown name (a list from the API would break the caches' hashing)
    if weights not in WEIGHTS:
        raise ValueError(f"Unknown weights {weights!r}; choose {', '.join(WEIGHTS)}.")
    with _LOADING:
        if weights != "checkpoint":
            return _load_inside_model(name, weights)
        if not checkpoint:
            raise ValueError("Choose a checkpoint first: upload one CNN Lab wrote, or take the Train tab's latest run.")
        path = Path(checkpoint)
        if not path.is_file():
            raise ValueError(f"The checkpoint {path.name} is gone (a run's file lasts as long as its session). "
                             "Upload it again or train again.")
        m = _load_checkpoint_model(str(path), path.stat().st_mtime_ns)
    if m.name != name:
        raise ValueError(f"{path.name} holds a {m.name}, not a {name}: pick {m.name} as the network, or other weights.")
    return m


@functools.lru_cache(maxsize=4)
def _load_checkpoint_model(path: str, mtime_ns: int) -> InsideModel:
    return _from_checkpoint(Path(path), "checkpoint")


def use_weights_file(path: str | Path, name: str) -> tuple[WeightsKind, str]:
    """What a file a teacher uploads is, made usable: ``("checkpoint", its network)`` for a checkpoint CNN
    Lab wrote (checked by loading it), else ``("imagenet", name)`` once it is installed as ``name``'s
    ImageNet weights (:func:`install_imagenet_weights`).

    Raises:
        ValueError: it is neither, with a sentence saying what it should be.
    """
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:
        raise ValueError(f"{Path(path).name} is not a PyTorch file CNN Lab can read ({type(e).__name__}): upload a "
                         "checkpoint the Train tab saved, or torchvision's .pth file of the network's weights.") from None
    if isinstance(ckpt, dict) and "state_dict" in ckpt:
        m = load_inside_model(str(ckpt.get("config", {}).get("model", name)), "checkpoint", path)
        return "checkpoint", m.name
    install_imagenet_weights(name, path, ckpt)
    return "imagenet", name


def install_imagenet_weights(name: str, path: str | Path, state_dict: object = None) -> str:
    """Copy torchvision's ImageNet weights file for ``name`` (uploaded where the download is impossible)
    into the torch hub cache, where :func:`load_inside_model` finds it; return the cache path.

    The file is loaded with ``weights_only=True`` (or ``state_dict``, already loaded) and must fit ``name``
    (:func:`lab.models.weights.load_state_dict_into`); otherwise a ValueError says which file to get.
    """
    entry = get_entry(name)
    w = entry.weights
    if w is None or w.source != "torchvision":
        raise ValueError(f"{name} has no torchvision ImageNet weights to supply by file.")
    file = Path(path).name
    want = os.path.basename(w.enum.url)
    if state_dict is None:
        try:
            state_dict = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as e:
            raise ValueError(f"{file} is not a PyTorch weights file ({type(e).__name__}); {name} needs {want}.") from None
    if not isinstance(state_dict, dict) or not all(isinstance(v, torch.Tensor) for v in state_dict.values()):
        raise ValueError(f"{file} holds no weights (a dict of tensors): {name}'s ImageNet weights are {want}.")
    try:
        load_state_dict_into(create_model(name), state_dict, name)
    except (ValueError, RuntimeError):
        raise ValueError(f"{file} does not fit {name}: its ImageNet weights are torchvision's {want} "
                         f"({w.enum.url}).") from None
    dest = cache_path(w.enum.url)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(path, dest + ".partial")
    os.replace(dest + ".partial", dest)
    _DOWNLOAD_FAILED.pop(name, None)  # the next load finds the file
    _load_inside_model.cache_clear()
    return dest


@functools.lru_cache(maxsize=3)
def _load_inside_model(name: str, weights: str) -> InsideModel:
    get_entry(name)  # ValueError for an unknown name
    reasons = []
    if weights in ("auto", "imagenet"):
        try:
            return _imagenet(name)
        except ValueError as e:
            if weights == "imagenet":  # insisted on: say where a file brought by hand goes
                raise ValueError(f"{e} Or upload that file under “Your own weights”.") from None
            reasons.append(f"ImageNet weights for {name} are neither cached nor downloadable here.")
    if weights in ("auto", "shapes"):
        shipped = shipped_architecture()
        if shipped == name:
            return dataclasses.replace(_load_shapes(DEMO_CHECKPOINT), reason=" ".join(reasons))
        why = (
            f"The shipped Shapes model is a {shipped}, not a {name}: pick {shipped} to use it."
            if shipped
            else "The shipped Shapes model is missing."
        )
        if weights == "shapes":
            raise ValueError(why)
        reasons.append(why)
    return _random(name, " ".join(reasons))


_IMAGENET_LOADED: set[str] = set()  # names whose ImageNet weights loaded in this process (timm's cache is not checked)


def weights_source(name: str, weights: str = "auto") -> str:
    """Which weights ``load_inside_model(name, weights)`` would use now — "imagenet", "shapes", "random" or
    "checkpoint" — found without building anything (a file check). A cache of results keys on it, so what
    was computed with random weights is not served once the ImageNet weights have arrived (on a Space, the
    start-up fetch). An unknown name or choice is returned as it is: loading it then says what is wrong."""
    if weights != "auto" or not isinstance(name, str):
        return str(weights)
    try:
        entry = get_entry(name)
    except ValueError:
        return "unknown"
    if name in _IMAGENET_LOADED or (entry.weights is not None and entry.weights.is_cached()):
        return "imagenet"
    return "shapes" if shipped_architecture() == name else "random"


def _imagenet(name: str) -> InsideModel:
    entry = get_entry(name)
    failed = _DOWNLOAD_FAILED.get(name)
    if failed and time.monotonic() - failed[0] < _RETRY_AFTER_S and not (entry.weights and entry.weights.is_cached()):
        raise ValueError(failed[1])
    try:
        model = create_model(name, pretrained=True).eval()
    except ValueError as e:
        _DOWNLOAD_FAILED[name] = (time.monotonic(), str(e))
        raise
    _IMAGENET_LOADED.add(name)
    w = entry.weights  # what these weights expect (MobileNet v1's timm weights: mean = std = 0.5)
    return InsideModel(name, model, w.categories, w.preprocessing, "imagenet", f"ImageNet-1k: {w.label}",
                       cam_layer=entry.cam_layer)


def _random(name: str, reason: str) -> InsideModel:
    entry = get_entry(name)
    with torch.random.fork_rng(devices=[]):  # the same random network every time it is built: in every process, after
        torch.manual_seed(RANDOM_SEED)  # an eviction, on every replica (so its results can be cached and shared)
        model = create_model(name).eval()
    n = entry.num_classes  # the builder's own: 10 for LeNet-5, 1000 for the ImageNet networks
    # A classifier of ImageNet's size gets ImageNet's names (what an untrained one will be trained on).
    names = imagenet_categories() if n == 1000 else [f"class {i}" for i in range(n)]
    return InsideModel(name, model, names, entry.preprocessing(pretrained=False), "random",
                       f"{name} with random (untrained) weights, {n} classes", reason, entry.cam_layer)
