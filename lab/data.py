"""Data for the Train tab: the built-in Shapes set, the student's own images in a zip, torchvision sets.

Everything ends up as uint8 image tensors in memory (``ImageSet``: ``N x C x H x W`` plus labels), so the
trainer can slice batches without a DataLoader and, on a GPU, keep the whole set on the device.

- **Shapes** (:func:`make_shapes`, :func:`make_shapes_tensors`): procedural, seedable; five classes drawn
  at random position, size, rotation and colour over a gradient background with distractor strokes and
  pixel noise, each with its ground-truth box. Drawn straight into tensors with vectorised signed-distance
  tests on a pixel grid, so thousands of images take well under a second.
- **Your own images** (:func:`from_zip`): a zip in ImageFolder layout, read without trusting it.
- **torchvision** MNIST, Fashion-MNIST and CIFAR-10 (:func:`load_torchvision`), downloaded into a data
  folder when the network is reachable.
"""
from __future__ import annotations

import math
import os
import socket
import stat
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import torch
from PIL import Image

from lab.images import center_crop, load_image

SHAPES_CLASSES: tuple[str, ...] = ("circle", "square", "triangle", "star", "cross")
TORCHVISION_SETS = {  # name -> (torchvision class, download size for the message)
    "mnist": ("MNIST", "11 MB"),
    "fashion-mnist": ("FashionMNIST", "30 MB"),
    "cifar10": ("CIFAR10", "170 MB"),
}
DATASETS = ("shapes", *TORCHVISION_SETS)  # plus a path to a .zip file
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")
DEFAULT_DATA_DIR = "data"
MAX_MEMORY_BYTES = 2 << 30  # the images of a data set, held in memory as uint8


@dataclass
class ImageSet:
    """Images as one uint8 tensor ``(N, C, H, W)`` (C is 1 or 3) and their integer labels ``(N,)``; for Shapes
    also each object's box ``(N, 4)`` (x0, y0, x1, y1 in pixels, x1 and y1 exclusive)."""

    images: torch.Tensor
    labels: torch.Tensor
    boxes: torch.Tensor | None = None

    def __len__(self) -> int:
        return len(self.labels)


@dataclass
class SkippedFile:
    """A file of an uploaded zip that was left out, and why."""

    name: str
    reason: str


@dataclass
class DataSplits:
    """A train and a validation set with the class names; ``skipped`` lists files a zip could not give."""

    name: str
    train: ImageSet
    val: ImageSet
    class_names: list[str]
    skipped: list[SkippedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- Shapes


@dataclass
class ShapeSample:
    """One Shapes image: ``image`` (PIL RGB), ``label`` (index into SHAPES_CLASSES), ``box`` (x0, y0, x1, y1).

    The box is the tight pixel box of the shape: columns x0..x1-1 and rows y0..y1-1 hold it.
    """

    image: Image.Image
    label: int
    box: tuple[int, int, int, int]


# Each shape is a signed distance d(u, v) in its own frame, where the shape fits the unit circle:
# d < 0 inside, d > 0 outside, |d| ~ distance to the edge (exact for the circle, close elsewhere).
def _circle(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(u * u + v * v) - 0.95


def _square(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return torch.maximum(u.abs(), v.abs()) - 0.68  # corners at radius 0.96


_TRI_NORMALS = [(math.cos(a), math.sin(a)) for a in (math.pi / 2, math.pi / 2 + 2 * math.pi / 3, math.pi / 2 + 4 * math.pi / 3)]


def _triangle(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    # Equilateral triangle inscribed in the unit circle: three half-planes at distance 1/2 (its inradius).
    return torch.stack([u * nx + v * ny for nx, ny in _TRI_NORMALS]).amax(0) - 0.5


_STAR_SECTOR = 2 * math.pi / 5
_STAR_INNER = 0.42  # radius of the inner vertices, as a fraction of the tips' radius


def _star_edge() -> tuple[float, float, float]:
    # The edge from a tip (1, 0) to the next inner vertex, as a line n.q = c with n pointing outwards.
    qx, qy = _STAR_INNER * math.cos(_STAR_SECTOR / 2), _STAR_INNER * math.sin(_STAR_SECTOR / 2)
    nx, ny = qy, 1.0 - qx
    norm = math.hypot(nx, ny)
    return nx / norm, ny / norm, nx / norm  # n.(1, 0) = c


_STAR_N = _star_edge()


def _star(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    # Fold the plane into one half-sector (tip at angle 0, inner vertex at 36 degrees); there the star is
    # the side of one straight edge that holds the origin.
    rho = torch.sqrt(u * u + v * v)
    phi = torch.atan2(v, u)
    a = (torch.remainder(phi + _STAR_SECTOR / 2, _STAR_SECTOR) - _STAR_SECTOR / 2).abs()
    nx, ny, c = _STAR_N
    return (rho * torch.cos(a) * nx + rho * torch.sin(a) * ny - c) * 0.97


def _cross(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    half_width, half_length = 0.28, 0.92
    bar_h = torch.maximum(u.abs() - half_length, v.abs() - half_width)
    bar_v = torch.maximum(v.abs() - half_length, u.abs() - half_width)
    return torch.minimum(bar_h, bar_v)  # union of the two bars


_SHAPE_SDF = (_circle, _square, _triangle, _star, _cross)  # in SHAPES_CLASSES order
_CHUNK = 256  # images drawn at once: bounds the memory of the B x H x W temporaries
_STROKES = 3  # distractor lines per image


def _draw_chunk(n: int, size: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``n`` Shapes images (uint8), labels and boxes. The random draws come in a fixed order, so a seed
    always gives the same images."""

    def rand(*shape: int) -> torch.Tensor:
        return torch.rand(*shape, generator=g)

    labels = torch.randint(len(SHAPES_CLASSES), (n,), generator=g)
    radius = size * (0.17 + 0.24 * rand(n))  # the shape spans 1/3 to 5/6 of the image
    cx = radius + (size - 2 * radius) * rand(n)  # fully inside the image
    cy = radius + (size - 2 * radius) * rand(n)
    angle = 2 * math.pi * rand(n)

    # Colours: the shape stands out from the background by at least 0.3 in mean brightness.
    bg0, bg1 = rand(n, 3), rand(n, 3)
    bg1 = (bg0 + 0.5 * (bg1 - 0.5)).clamp(0, 1)  # the gradient's far end: a nearby colour
    fg = rand(n, 3)
    fg = torch.where(bg0.mean(1, keepdim=True) > 0.5, fg * 0.35, 0.65 + fg * 0.35)
    stroke_rgb = rand(n, _STROKES, 3)

    coords = torch.arange(size, dtype=torch.float32) + 0.5  # pixel centres
    ys, xs = coords.view(size, 1), coords.view(1, size)
    img = _gradient(bg0, bg1, xs, ys, rand)
    _strokes(img, stroke_rgb, xs, ys, rand)
    alpha = _coverage(labels, radius, cx, cy, angle, xs, ys)
    img.lerp_(fg.view(n, 3, 1, 1).expand_as(img), alpha.unsqueeze(1))

    # Sensor noise of a random strength.
    sigma = 0.03 + 0.07 * rand(n, 1, 1, 1)
    img.addcmul_(torch.randn(n, 1, size, size, generator=g), sigma)  # brightness noise, shared by R, G, B
    images = img.clamp_(0, 1).mul_(255).add_(0.5).to(torch.uint8)
    return images, labels, _boxes(alpha > 0.5)


def _gradient(bg0: torch.Tensor, bg1: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor, rand) -> torch.Tensor:
    """Backgrounds: a linear gradient from ``bg0`` to ``bg1`` in a random direction, (n, 3, H, W)."""
    n, size = len(bg0), xs.shape[1]
    theta = 2 * math.pi * rand(n)
    ramp = (xs * torch.cos(theta).view(n, 1, 1) + ys * torch.sin(theta).view(n, 1, 1)) / size
    lo, hi = ramp.amin((1, 2), keepdim=True), ramp.amax((1, 2), keepdim=True)
    ramp = ((ramp - lo) / (hi - lo)).unsqueeze(1)
    shape = (n, 3, size, size)
    return torch.lerp(bg0.view(n, 3, 1, 1).expand(shape), bg1.view(n, 3, 1, 1).expand(shape), ramp)


def _strokes(img: torch.Tensor, rgb: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor, rand) -> None:
    """Clutter, in place: thin lines of random colour, position and direction that the shape is drawn over."""
    n, size = len(img), img.shape[-1]
    beta = math.pi * rand(n, _STROKES, 1, 1)
    px, py = size * rand(n, _STROKES, 1, 1), size * rand(n, _STROKES, 1, 1)
    sb, cb = torch.sin(beta), torch.cos(beta)
    dist = (xs * sb - px * sb + py * cb) - ys * cb  # signed distance to each line, (n, K, H, W)
    width = 0.6 + 1.2 * rand(n, _STROKES, 1, 1)
    alpha = dist.abs_().neg_().add_(width + 0.5).clamp_(0, 0.8)
    for k in range(_STROKES):
        img.lerp_(rgb[:, k].view(n, 3, 1, 1).expand_as(img), alpha[:, k].unsqueeze(1))


def _coverage(labels: torch.Tensor, radius: torch.Tensor, cx: torch.Tensor, cy: torch.Tensor, angle: torch.Tensor,
              xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """How much of each pixel the shape covers, (n, H, W) in [0, 1]: the grid rotated into each shape's
    frame, its signed distance there, and one pixel of anti-aliasing at the edge."""
    n, size = len(labels), xs.shape[1]
    cos, sin = torch.cos(angle).view(n, 1, 1), torch.sin(angle).view(n, 1, 1)
    dx, dy = xs - cx.view(n, 1, 1), ys - cy.view(n, 1, 1)
    r = radius.view(n, 1, 1)
    u, v = (cos * dx + sin * dy) / r, (-sin * dx + cos * dy) / r
    d = torch.empty(n, size, size)
    for k, sdf in enumerate(_SHAPE_SDF):
        idx = labels == k
        if idx.any():
            d[idx] = sdf(u[idx], v[idx]) * r[idx]  # back to pixels
    return (0.5 - d).clamp_(0, 1)


def _boxes(mask: torch.Tensor) -> torch.Tensor:
    """The tight box ``(x0, y0, x1, y1)`` (x1, y1 exclusive) of each (n, H, W) mask."""
    size = mask.shape[-1]
    cols, rows = mask.any(1), mask.any(2)  # (n, W), (n, H)
    return torch.stack([cols.int().argmax(1), rows.int().argmax(1),
                        size - cols.flip(1).int().argmax(1), size - rows.flip(1).int().argmax(1)], 1)


@contextmanager
def _one_thread() -> Iterator[None]:
    # These element-wise ops are too small to gain from a second thread, and on a busy machine two
    # threads waiting on each other made drawing ten times slower (measured: 3,000 vs 200-450 img/s).
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def make_shapes_tensors(n: int, image_size: int = 64, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Draw ``n`` Shapes images straight into tensors (the trainer's fast path).

    Returns ``(images, labels, boxes)``: uint8 ``(n, 3, S, S)``, int64 ``(n,)`` indices into
    :data:`SHAPES_CLASSES`, and int64 ``(n, 4)`` boxes ``x0, y0, x1, y1`` in pixels (x1, y1 exclusive).
    The same ``(n, image_size, seed)`` always gives the same images.
    """
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"The number of Shapes images must be a whole number >= 0, not {n!r}.")
    if not isinstance(image_size, int) or not 16 <= image_size <= 512:
        raise ValueError(f"Shapes images can be 16 to 512 pixels wide; {image_size!r} is not.")
    g = torch.Generator().manual_seed(int(seed))
    with _one_thread():
        parts = [_draw_chunk(min(_CHUNK, n - i), image_size, g) for i in range(0, n, _CHUNK)]
    if not parts:
        return (
            torch.empty(0, 3, image_size, image_size, dtype=torch.uint8),
            torch.empty(0, dtype=torch.int64),
            torch.empty(0, 4, dtype=torch.int64),
        )
    images, labels, boxes = (torch.cat(t) for t in zip(*parts))
    return images, labels, boxes


def make_shapes(n: int, image_size: int = 64, seed: int = 0) -> list[ShapeSample]:
    """``n`` Shapes samples with ``.image`` (PIL RGB), ``.label`` (int) and ``.box`` (x0, y0, x1, y1).

    Class names are :data:`SHAPES_CLASSES`. Deterministic for a seed; see :func:`make_shapes_tensors`.
    """
    images, labels, boxes = make_shapes_tensors(n, image_size, seed)
    arrays = images.permute(0, 2, 3, 1).numpy()
    return [
        ShapeSample(Image.fromarray(a, "RGB"), int(y), tuple(int(b) for b in box))  # type: ignore[arg-type]
        for a, y, box in zip(arrays, labels, boxes)
    ]


def shapes_splits(train_size: int = 4000, val_size: int = 1000, image_size: int = 64, seed: int = 0) -> DataSplits:
    """Shapes as train and validation sets drawn from different seeds (2*seed and 2*seed+1)."""
    tx, ty, tb = make_shapes_tensors(train_size, image_size, 2 * seed)
    vx, vy, vb = make_shapes_tensors(val_size, image_size, 2 * seed + 1)
    return DataSplits("Shapes", ImageSet(tx, ty, tb), ImageSet(vx, vy, vb), list(SHAPES_CLASSES))


# ------------------------------------------------------------------------------------- Your own images


class UnsafeZipError(ValueError):
    """The zip holds something we refuse to read (paths escaping the folder, links, too much data)."""


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise UnsafeZipError(
            f"The zip entry {name!r} points outside its folder. Make the zip again from the folder itself "
            f"(relative paths only)."
        )
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeZipError(f"The zip entry {name!r} is a symbolic link. Zip the image files themselves, not links.")


def _image_members(infos: list[zipfile.ZipInfo]) -> tuple[list[tuple[zipfile.ZipInfo, list[str]]], list[SkippedFile]]:
    """Image entries with their path parts (a single wrapping folder removed), and other files skipped."""
    files, skipped = [], []
    for info in infos:
        if info.is_dir():
            continue
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p not in ("", ".")]
        if parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts):
            continue  # macOS resource forks and hidden files: not data, not worth a report line
        if not parts[-1].lower().endswith(IMAGE_EXTENSIONS):
            skipped.append(SkippedFile(info.filename, "not an image file (by its extension)"))
            continue
        files.append((info, parts))
    # A zip of the folder "pets/" wraps everything in "pets/": look inside it.
    while files and all(len(p) > 2 for _, p in files) and len({p[0] for _, p in files}) == 1:
        if files[0][1][0].lower() in ("train", "val"):
            break
        files = [(i, p[1:]) for i, p in files]
    return files, skipped


def _load_image(data: bytes, image_size: int) -> torch.Tensor:
    """Decode with the app's one image reader (EXIF rotation, palette, 16-bit, CMYK, transparency; the
    pixel limit), resize the shorter side to ``image_size`` and centre-crop: uint8 (3, S, S)."""
    im = center_crop(load_image(data, draft=image_size), image_size)
    return torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1)


def from_zip(
    path: str | os.PathLike,
    image_size: int = 64,
    *,
    val_fraction: float = 0.2,
    seed: int = 0,
    max_total_bytes: int = 1 << 30,
    max_files: int = 20_000,
    max_memory_bytes: int = MAX_MEMORY_BYTES,
) -> DataSplits:
    """Read an ImageFolder-style zip of images, without trusting it.

    Layout: ``train/<class>/*.jpg`` and optionally ``val/<class>/*.jpg``, or just ``<class>/*.jpg`` (then
    ``val_fraction`` of each class becomes the validation set, chosen with ``seed``). One wrapping folder
    around either layout is fine. Images are resized (shorter side) and centre-cropped to ``image_size``.

    Raises:
        UnsafeZipError (a ValueError): an entry escapes the folder (``../``, an absolute path) or is a
            symbolic link; more than ``max_files`` entries; more than ``max_total_bytes`` uncompressed.
        ValueError: not a zip; fewer than two classes; a class without a readable image; too big for memory.

    Unreadable files are skipped and listed in ``DataSplits.skipped``.
    """
    zf, files, skipped = _open_zip(path, max_files, max_total_bytes)
    with zf:
        splits = _by_split(files, skipped)
        class_names = sorted(splits["train"])
        if len(class_names) < 2:
            raise ValueError(
                f"The zip has {len(class_names)} class folder(s) with images; a classifier needs at least two. "
                f"Put each class's images in its own folder (train/cat/…, train/dog/…, or cat/…, dog/…)."
            )
        count = sum(len(v) for s in splits.values() for v in s.values())
        if count * 3 * image_size * image_size > max_memory_bytes:
            raise ValueError(
                f"{count:,} images at {image_size} px would need {count * 3 * image_size**2 / 2**30:.1f} GiB of "
                f"memory. Choose a smaller image size or use fewer images."
            )
        train = _read_split(zf, splits["train"], class_names, image_size, skipped, need_each=True)
        val = _read_split(zf, splits["val"], class_names, image_size, skipped, need_each=False)

    notes = []
    if not val[0]:  # split each class: val_fraction for validation, at least one image left to train
        train, val = _hold_out(*train, len(class_names), val_fraction, seed)
        notes.append(f"No val/ folder: {len(val[1])} images ({val_fraction:.0%} of each class) held out for validation.")
    if not val[0]:
        raise ValueError("There are too few images to hold any out for validation. Add a few more images per class.")

    def stack(images: list[torch.Tensor], labels: list[int]) -> ImageSet:
        return ImageSet(torch.stack(images), torch.tensor(labels, dtype=torch.int64))

    name = os.path.splitext(os.path.basename(str(path)))[0]
    return DataSplits(name, stack(*train), stack(*val), class_names, skipped, notes)


def _open_zip(path: str | os.PathLike, max_files: int, max_total_bytes: int):
    """The open zip (refused by its directory first: :func:`_check_archive`), its image entries and the
    files skipped."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError(f"{os.path.basename(str(path))} is not a readable zip file ({e}).") from None
    try:
        _check_archive(zf.infolist(), max_files, max_total_bytes)
    except ValueError:
        zf.close()
        raise
    return (zf, *_image_members(zf.infolist()))


def _check_archive(infos: list[zipfile.ZipInfo], max_files: int, max_total_bytes: int) -> None:
    """Refuse a zip by its directory alone, before anything is read: too many entries, too many bytes
    unpacked, or a member that escapes the folder or is a link (:func:`_check_member`)."""
    if len(infos) > max_files:
        raise UnsafeZipError(f"The zip holds {len(infos):,} entries; the limit is {max_files:,}. Use fewer images.")
    for info in infos:
        _check_member(info)
    total = sum(i.file_size for i in infos)
    if total > max_total_bytes:
        raise UnsafeZipError(
            f"The zip unpacks to {total / 2**20:,.0f} MiB; the limit is {max_total_bytes / 2**20:,.0f} MiB. "
            f"Use fewer or smaller images."
        )


Members = dict[str, list[zipfile.ZipInfo]]  # class folder -> its image files


def _by_split(files: list[tuple[zipfile.ZipInfo, list[str]]], skipped: list[SkippedFile]) -> dict[str, Members]:
    """``{"train": {class: [files]}, "val": {...}}`` from ``train/<class>/…`` and ``val/<class>/…``, or from
    ``<class>/…`` (all train); files elsewhere are added to ``skipped``."""
    splits: dict[str, Members] = {"train": {}, "val": {}}
    has_split_folders = any(p[0].lower() in ("train", "val") for _, p in files)
    for info, parts in files:
        if has_split_folders:
            if parts[0].lower() not in ("train", "val") or len(parts) != 3:
                skipped.append(SkippedFile(info.filename, "not in train/<class>/ or val/<class>/"))
                continue
            splits[parts[0].lower()].setdefault(parts[1], []).append(info)
        elif len(parts) != 2:
            skipped.append(SkippedFile(info.filename, "not directly inside a class folder"))
        else:
            splits["train"].setdefault(parts[0], []).append(info)
    return splits


def _read_split(zf: zipfile.ZipFile, members: Members, class_names: list[str], image_size: int,
                skipped: list[SkippedFile], need_each: bool) -> tuple[list[torch.Tensor], list[int]]:
    """Decode one split's images with their class indices; unreadable files go to ``skipped``. With
    ``need_each`` (the training split) a class without one readable image is a ValueError."""
    images, labels = [], []
    for name in sorted(members):
        if name not in class_names:
            skipped.extend(SkippedFile(i.filename, f"class {name!r} is not in train/") for i in members[name])
            continue
        ok = 0
        for info in members[name]:
            try:
                images.append(_load_image(_read_member(zf, info), image_size))
            except Exception as e:  # a broken file is the student's data, not our bug: report it
                skipped.append(SkippedFile(info.filename, f"unreadable ({type(e).__name__}: {e})"[:200]))
                continue
            labels.append(class_names.index(name))
            ok += 1
        if need_each and ok == 0:
            raise ValueError(f"The class folder {name!r} has no readable image. Add images to it or remove the folder.")
    return images, labels


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its header promised (a lying header is a ValueError)."""
    with zf.open(info) as f:
        data = f.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise ValueError("larger than its header says")
    return data


def _hold_out(images: list[torch.Tensor], labels: list[int], num_classes: int, fraction: float, seed: int):
    """Split each class: ``fraction`` of it (at least one image, and at least one left to train) for
    validation, chosen with ``seed``. Returns ``((train images, labels), (val images, labels))``."""
    g = torch.Generator().manual_seed(seed)
    t = torch.tensor(labels)
    val_idx = []
    for c in range(num_classes):
        idx = torch.nonzero(t == c).flatten()
        idx = idx[torch.randperm(len(idx), generator=g)]
        k = min(len(idx) - 1, max(1, round(len(idx) * fraction)))
        val_idx += idx[:k].tolist()
    val_idx = sorted(val_idx)
    keep = sorted(set(range(len(labels))) - set(val_idx))
    return ([images[i] for i in keep], [labels[i] for i in keep]), ([images[i] for i in val_idx], [labels[i] for i in val_idx])


# --------------------------------------------------------------------------------------- torchvision


@contextmanager
def socket_timeout(seconds: float) -> Iterator[None]:
    """A default socket timeout while downloading, so an unreachable network fails in seconds, not minutes."""
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


def load_torchvision(name: str, data_dir: str = DEFAULT_DATA_DIR, timeout: float = 15.0) -> DataSplits:
    """MNIST, Fashion-MNIST or CIFAR-10 from ``data_dir`` (downloaded there first if the network allows).

    Raises ValueError with a sentence saying what to do when the set is neither cached nor downloadable.
    """
    import torchvision.datasets as tvd

    key = name.lower()
    if key not in TORCHVISION_SETS:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(DATASETS)} or a .zip file.")
    cls_name, size = TORCHVISION_SETS[key]
    cls = getattr(tvd, cls_name)
    sets = []
    for train in (True, False):
        try:
            with socket_timeout(timeout):
                sets.append(cls(root=data_dir, train=train, download=True))
        except Exception as e:  # URLError, socket.timeout, HTTP errors, a half-written file…
            raise ValueError(
                f"{cls_name} is not in the data folder ({os.path.abspath(data_dir)}) and could not be downloaded "
                f"({' '.join(str(e).split())[:120] or type(e).__name__}). Connect to the internet once (about {size}), copy the "
                f"files there, or train on the built-in Shapes data."
            ) from None

    def to_set(ds) -> ImageSet:
        x = torch.as_tensor(ds.data)
        x = x.unsqueeze(1) if x.ndim == 3 else x.permute(0, 3, 1, 2)  # grey (N,H,W) / CIFAR (N,H,W,C)
        return ImageSet(x.contiguous(), torch.as_tensor(ds.targets, dtype=torch.int64))

    return DataSplits(cls_name, to_set(sets[0]), to_set(sets[1]), list(sets[0].classes))


def subset(images: ImageSet, n: int | None, seed: int = 0) -> ImageSet:
    """A random subset of ``n`` images (all of them when ``n`` is None, 0, or at least the set's size)."""
    if not n or n >= len(images):
        return images
    idx = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))[:n]
    return ImageSet(images.images[idx], images.labels[idx])


def load_dataset(
    name: str,
    image_size: int = 64,
    *,
    train_size: int | None = 4000,
    val_size: int | None = 1000,
    seed: int = 0,
    data_dir: str = DEFAULT_DATA_DIR,
) -> DataSplits:
    """Any dataset the trainer knows, by name: ``shapes``, ``mnist``, ``fashion-mnist``, ``cifar10`` or a zip path.

    ``train_size``/``val_size``: how many Shapes images to draw; for the other sets a random subset of
    that many (None or 0 = all), so a CPU run stays short.
    """
    key = str(name).lower().replace("_", "-")
    if key == "shapes":
        n = (train_size or 4000) + (val_size or 1000)
        if n * 3 * image_size**2 > MAX_MEMORY_BYTES:
            raise ValueError(
                f"{n:,} Shapes images at {image_size} px would need {n * 3 * image_size**2 / 2**30:.1f} GiB of "
                f"memory. Choose fewer images or a smaller image size."
            )
        return shapes_splits(train_size or 4000, val_size or 1000, image_size, seed)
    if key in ("fashionmnist",):
        key = "fashion-mnist"
    if key in TORCHVISION_SETS:
        splits = load_torchvision(key, data_dir)
    elif key.endswith(".zip"):
        if not os.path.exists(name):
            raise ValueError(f"There is no zip file at {name}. Upload a .zip of class folders.")
        splits = from_zip(name, image_size, seed=seed)
    else:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(DATASETS)} or a .zip file.")
    full = (len(splits.train), len(splits.val))
    splits.train = subset(splits.train, train_size, seed)
    splits.val = subset(splits.val, val_size, seed + 1)
    if (len(splits.train), len(splits.val)) != full:
        splits.notes.append(
            f"Using {len(splits.train):,} of {full[0]:,} training and {len(splits.val):,} of {full[1]:,} "
            f"validation images (raise the sizes for a longer, better run)."
        )
    return splits
