"""A seeded fuzzer for the app's named API endpoints (tests/test_fuzz.py runs a slice; benchmarks/fuzz_endpoints.py
the full run).

The endpoints and their parameters are read from the running app (``Client.view_api``), so a new endpoint is
fuzzed without a line here. Each case starts from a usable request (the parameter defaults; /train's made tiny)
and replaces one to three parameters by something hostile: wrong types, None, extreme numbers, unicode and very
long strings, path-like and ``timm:`` names, file records pointing anywhere on the server, and uploads of mutated
images, zips and checkpoints (:func:`make_files`). Each answer is classified (:func:`classify`):

- ``result``: the endpoint answered (for /train: its first update; the run is then cancelled);
- ``sentence``: a ``gr.Error`` whose text is a sentence saying what to do;
- ``bad``: anything else: a traceback, a bare "Error", Gradio's generic message, CNN Lab's own "something went
  wrong inside" (an unexpected exception), or no answer within the time limit.
"""
from __future__ import annotations

import io
import random
import re
import struct
import time
import zipfile
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
LIMIT_S = 60.0  # no request may take longer than this
# /train starts from a run that takes seconds; an accepted run is cancelled at its first update anyway.
TINY_TRAIN = dict(model="lenet5", dataset="shapes", zip_file=None, mode="scratch", epochs=1, batch=16, lr=0.01,
                  size=32, aug="none", optimizer="adamw", train_size=32, val_size=16, seed=0)
TINY = {"/train": TINY_TRAIN, "/degradation": dict(epochs=1, size=16, train_size=64),  # streaming endpoints
        "/lesson_link": dict(state={"tab": "inside", "model": "resnet18"})}  # no default: a state to write
# Endpoints that label with a run finished in the caller's own session: a bare API call is answered with the
# sentence saying to pick a finished run first, which is its healthy answer.
SESSION_BOUND = ("/submission",)
CHEAP_MODELS = ("lenet5", "resnet18", "mobilenet_v2", "mobilenet_v3_small", "alexnet")  # for /cam's valid cases
# What a sentence must not contain.
BAD_TEXT = re.compile(
    r"Traceback|File \"|upstream Gradio app has raised an exception|error occurred|Something went wrong inside|"
    r"<class '|\b(?:Key|Type|Attribute|Index|Runtime|Value|Validation|Assertion|Zero\w*|OS|Unpickling)Error\b|"
    r"pydantic|NoneType|object has no attribute"
)

PATHS = ["../../etc/passwd", "/etc/passwd", "~", "~/.ssh/id_rsa", "file:///etc/passwd", "C:\\Windows\\win.ini",
         "\\\\server\\share", "/", ".", "..", "/proc/self/environ", "assets/shapes_model.pt", "app.py",
         "http://127.0.0.1:1/x.png", "https://example.com/cat.jpg", "data:image/png;base64,AAAA", "/dev/zero",
         "/tmp", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "NUL", "CON"]
TIMM = ["timm:", "timm:resnet18", "timm:efficientnet_b0", "timm:nonsense_net", "timm:../../etc/passwd",
        "timm:" + "x" * 500, "timm:resnet18 ", "TIMM:resnet18", "timm:hf-hub:someone/model", "timm:*", "timm:vit_base"]
STRINGS = ["", " ", "abc", "0", "-1", "nan", "inf", "1e308", "None", "null", "true", "[]", "{}", "残差网络",
           "🙂" * 50, "\x00", "\u202eevil", "a" * 100_000, "résnet18", "ResNet18", " resnet18", "resnet18\n",
           "<script>alert(1)</script>", "'; DROP TABLE x; --", "%s%s%n", "{0}{1}", "\\", "\uffff"]
# JSON carries no NaN or infinity (the client refuses them): those come as the strings "nan", "inf" above.
NUMBERS = [0, -1, 1, 2, 0.5, -0.0, 1e308, -1e308, 1e-308, 2**31, 2**63, 10**30, -(10**30), 3.7, 1e6, 4096, 4097,
           255, 65535]
OTHERS = [None, True, False, [], {}, [1, 2], {"a": 1}, [None], {"path": None}, [[[]]]]


@dataclass
class Outcome:
    endpoint: str
    kind: str  # result | sentence | bad
    detail: str
    seconds: float
    case: dict = field(default_factory=dict)
    retried: bool = False  # the client's transport failed once (TRANSPORT)


def classify(error: BaseException | None) -> tuple[str, str]:
    """``("result", "")`` for no error, ``("sentence", text)`` for a readable gr.Error, else ``("bad", why)``."""
    if error is None:
        return "result", ""
    text = str(error).strip()
    if type(error).__name__ != "AppError":
        return "bad", f"{type(error).__name__}: {text[:300]}"
    words = re.findall(r"[^\W\d_]{2,}", text)
    if len(words) < 4 or text.lower() in ("error", "error.") or BAD_TEXT.search(text):
        return "bad", text[:300]
    return "sentence", text[:300]


# ------------------------------------------------------------------------------------------------- files


def _png(width: int, height: int, body: bytes = b"") -> bytes:
    """A PNG whose header declares ``width`` x ``height`` (valid CRCs), with ``body`` as its only data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(body)) + chunk(b"IEND", b""))


def _flip(rng: random.Random, data: bytes, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _valid_zip() -> bytes:
    img = {n: (ASSETS / n).read_bytes() for n in ("shapes_circle.png", "shapes_square.png", "shapes_star.png")}
    return _zip({"circle/a.png": img["shapes_circle.png"], "circle/b.png": img["shapes_circle.png"],
                 "square/a.png": img["shapes_square.png"], "star/a.png": img["shapes_star.png"]})


def _declared_huge(data: bytes) -> bytes:
    """``data`` (a zip) with every entry's uncompressed size rewritten to 4 GB (a bomb by its directory)."""
    b = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for m in re.finditer(re.escape(sig), bytes(b)):
            b[m.start() + offset: m.start() + offset + 4] = struct.pack("<I", 0xFFFFFFF0)
    return bytes(b)


def _malicious_pickle() -> bytes:
    """A torch-style file whose unpickling would run ``os.system`` (weights_only=True must refuse it)."""
    import pickle

    class Evil:
        def __reduce__(self):
            return (__import__("os").system, ("touch /tmp/cnnlab-fuzz-pwned",))

    return pickle.dumps({"state_dict": Evil()})


def make_files(folder: Path, rng: random.Random) -> dict[str, list[Path]]:
    """Files to upload, by kind (``image``, ``zip``, ``checkpoint``): valid ones and their mutations."""
    folder.mkdir(parents=True, exist_ok=True)
    png, jpg = (ASSETS / "shapes_circle.png").read_bytes(), (ASSETS / "cat.jpg").read_bytes()
    ckpt, good_zip = (ASSETS / "shapes_model.pt").read_bytes(), _valid_zip()
    bomb = _zip({"a/x.png": b"\0" * (64 << 20), "b/y.png": b"\0" * 10})  # 64 MiB of zeros in 64 KiB
    made: dict[str, dict[str, bytes]] = {
        "image": {"ok.png": png, "ok.jpg": jpg, "trunc.png": png[: len(png) // 2],
                  "trunc.jpg": jpg[: len(jpg) // 3], "flip.png": _flip(rng, png, 20), "flip.jpg": _flip(rng, jpg, 40),
                  "huge.png": _png(100_000, 100_000), "wide.png": _png(2**31 - 1, 1), "zero.png": _png(0, 0),
                  "tiny.png": _png(1, 1, b"\0\0\0\0"), "png_as.jpg": png, "text.png": b"hello, not an image\n",
                  "empty.png": b"", "zip_as.png": good_zip, "ckpt_as.png": ckpt[:4096], "noext": png,
                  "header_only.png": png[:33], "svg.png": b"<svg xmlns='http://www.w3.org/2000/svg'/>"},
        "zip": {"ok.zip": good_zip, "trunc.zip": good_zip[: len(good_zip) // 2], "flip.zip": _flip(rng, good_zip, 30),
                "nested.zip": _zip({"inner.zip": good_zip, "more/inner2.zip": good_zip}),
                "bomb.zip": bomb, "declared_huge.zip": _declared_huge(good_zip), "escape.zip": _zip({"../../evil/a.png": png, "b/../../../x.png": png}),
                "abs.zip": _zip({"/etc/cnnlab/a.png": png, "b/b.png": png}), "one_class.zip": _zip({"a/1.png": png}),
                "empty.zip": _zip({}), "text.zip": b"PK not really", "png_as.zip": png,
                "many.zip": _zip({f"c{i % 2}/{i}.png": b"" for i in range(3000)}, zipfile.ZIP_STORED),
                "broken_images.zip": _zip({"a/1.png": png[:50], "b/1.png": b"junk"})},
        "checkpoint": {"ok.pt": ckpt, "trunc.pt": ckpt[: len(ckpt) // 2], "flip.pt": _flip(rng, ckpt, 30),
                       "evil.pt": _malicious_pickle(), "text.pt": b"not a checkpoint", "empty.pt": b"",
                       "png_as.pt": png, "zip_as.pt": good_zip},
    }
    out: dict[str, list[Path]] = {}
    for kind, files in made.items():
        out[kind] = []
        for name, data in files.items():
            path = folder / kind / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            out[kind].append(path)
    return out


# ------------------------------------------------------------------------------------------------- cases


def _file_values(rng: random.Random, files: list[Path]) -> Any:
    """An upload of one of ``files``, or a file record / string pointing anywhere on the server."""
    from gradio_client import handle_file

    roll = rng.random()
    if roll < 0.6:
        return handle_file(str(rng.choice(files)))
    target = rng.choice(PATHS + [str(ASSETS / "cat.jpg"), str(ASSETS / "shapes_model.pt"), "/tmp/gradio"])
    return rng.choice([target, {"path": target}, {"path": target, "url": target},
                       {"url": target, "meta": {"_type": "gradio.FileData"}}, {"path": target, "orig_name": "x.png"}])


def hostile(rng: random.Random, param: dict, files: dict[str, list[Path]]) -> Any:
    """A hostile value for one parameter of ``view_api``'s description."""
    component, name = param.get("component", ""), param.get("parameter_name") or ""
    enum = (param.get("type") or {}).get("enum") or []
    if component in ("Image", "File"):
        kind = "image" if component == "Image" else "zip" if "zip" in name else "checkpoint"
        if rng.random() < 0.85:
            return _file_values(rng, files[kind] + (files["image"][:2] if kind != "image" else []))
    roll = rng.random()
    if enum and roll < 0.15:
        return rng.choice(enum)
    pools = [STRINGS, NUMBERS, OTHERS, PATHS, TIMM]
    weights = [3, 4, 1, 2, 2 if name == "model" else 0.5]
    pool = rng.choices(pools, weights)[0]
    value = rng.choice(pool)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and rng.random() < 0.3:
        value = rng.choice([str(value), [value]])  # a number as text, or in a list
    return value


def _base(endpoint: str, params: list[dict], rng: random.Random) -> dict[str, Any]:
    """A usable request: each parameter's default (a cheap network for the Inside tab, a tiny /train run)."""
    from gradio_client import handle_file

    base: dict[str, Any] = {}
    for p in params:
        name = p["parameter_name"]
        if name in TINY.get(endpoint, {}):
            base[name] = TINY[endpoint][name]
        elif p.get("component") == "Image":
            base[name] = handle_file(str(ASSETS / rng.choice(["shapes_circle.png", "shapes_star.png"])))
        elif p.get("parameter_has_default"):
            base[name] = p.get("parameter_default")
        elif name == "model":
            base[name] = "resnet18"
        elif name == "resolution":
            base[name] = 224
        else:
            base[name] = {"width_mult": 1.0, "depth_mult": 1.0}.get(name, 1)
    if "model" in base and endpoint in ("/cam", "/feature_maps"):
        base["model"] = rng.choice(CHEAP_MODELS)
        base["weights"] = "random" if base["model"] != "resnet18" else base.get("weights", "auto")
    return base


def cases(endpoint: str, params: list[dict], rng: random.Random, n: int, files: dict[str, list[Path]]) -> list[dict]:
    """``n`` requests for ``endpoint``: a usable one with one to three parameters made hostile. Every 10th case
    is left usable (a fair share of results keeps the handlers' paths past validation in play)."""
    out = []
    for i in range(n):
        case = _base(endpoint, params, rng)
        if i % 10 != 9 and params:
            for p in rng.sample(params, k=min(len(params), rng.choice([1, 1, 1, 2, 3]))):
                case[p["parameter_name"]] = hostile(rng, p, files)
        out.append(case)
    return out


# ------------------------------------------------------------------------------------------------- sending


# The client's own transport failing (its HTTP read timing out on a machine loaded many times over): the request
# is sent once more before it counts (Outcome.retried).
TRANSPORT = ("ReadTimeout", "CancelledError", "ConnectError", "RemoteProtocolError", "ReadError")


def send(client: Any, endpoint: str, case: dict, limit_s: float = LIMIT_S) -> Outcome:
    """One request (sent again once if the client's transport failed); see :func:`_send`."""
    o = _send(client, endpoint, case, limit_s)
    if o.kind == "bad" and o.detail.startswith(TRANSPORT):
        time.sleep(1.0)
        o = _send(client, endpoint, case, limit_s)
        o.retried = True
    return o


def _send(client: Any, endpoint: str, case: dict, limit_s: float = LIMIT_S) -> Outcome:
    """One request; a generator endpoint (/train) counts as answered at its first update, then is cancelled."""
    t0 = time.monotonic()
    error: BaseException | None = None
    try:
        job = client.submit(api_name=endpoint, **case)
        if endpoint in TINY:
            while not job.done() and not job.outputs() and time.monotonic() - t0 < limit_s:
                time.sleep(0.05)
            if not job.done() and not job.outputs():
                raise FutureTimeout()
            if not job.done():
                job.cancel()
            else:
                job.result(timeout=1)
        else:
            job.result(timeout=limit_s)
    except FutureTimeout:
        return Outcome(endpoint, "bad", f"no answer within {limit_s:.0f} s", time.monotonic() - t0, case)
    except Exception as e:  # noqa: BLE001 - every kind of failure is an outcome to classify
        error = e
    kind, detail = classify(error)
    return Outcome(endpoint, kind, detail, time.monotonic() - t0, case)


def healthy(client: Any, endpoint: str, params: list[dict]) -> bool:
    """A normal request to ``endpoint`` is answered with a result (the app still serves after a batch)."""
    case = _base(endpoint, params, random.Random(0))
    if "model" in case and endpoint in ("/cam", "/feature_maps"):
        case["model"], case["weights"] = "resnet18", "auto"
    answered = ("result", "sentence") if endpoint in SESSION_BOUND else ("result",)
    return send(client, endpoint, case, limit_s=LIMIT_S * 2).kind in answered


def endpoints(client: Any) -> dict[str, list[dict]]:
    """The app's named endpoints and their parameters, as the API page lists them."""
    api = client.view_api(print_info=False, return_format="dict")
    return {name: info["parameters"] for name, info in api["named_endpoints"].items()}


def fuzz(client: Any, per_endpoint: int, seed: int, folder: Path, batch: int = 50, budget_s: float = 600.0,
         only: list[str] | None = None, workers: int = 1, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Fuzz every named endpoint (or ``only``): ``per_endpoint`` cases each (fewer if ``budget_s`` seconds per
    endpoint run out), checking after each ``batch`` that a normal request is still answered; ``workers``
    endpoints at a time.

    Returns ``{"counts": {endpoint: Counter(sent, result, sentence, bad)}, "bad": [Outcome], "unhealthy": [..]}``.
    """
    files = make_files(folder, random.Random(seed))
    found = {e: p for e, p in endpoints(client).items() if not only or e in only}
    counts: dict[str, Counter] = {e: Counter() for e in found}
    bad: list[Outcome] = []
    unhealthy: list[str] = []

    def one(endpoint: str) -> None:
        params = found[endpoint]
        todo = cases(endpoint, params, random.Random(f"{seed}{endpoint}"), per_endpoint, files)
        start = time.monotonic()
        for k in range(0, len(todo), batch):
            for case in todo[k: k + batch]:
                o = send(client, endpoint, case)
                counts[endpoint]["sent"] += 1
                counts[endpoint][o.kind] += 1
                counts[endpoint]["retried"] += o.retried
                if o.kind == "bad":
                    bad.append(o)
            if not healthy(client, endpoint, params):
                unhealthy.append(f"{endpoint} after case {k + batch}")
            progress(f"{endpoint}: {dict(counts[endpoint])}")
            if time.monotonic() - start > budget_s:
                break

    with ThreadPoolExecutor(workers) as pool:  # endpoints side by side; each one's cases in order
        for future in [pool.submit(one, e) for e in found]:
            future.result()
    return {"counts": counts, "bad": bad, "unhealthy": unhealthy}


def table(counts: dict[str, Counter]) -> str:
    """The counts per endpoint and outcome, as aligned text."""
    rows = [f"{'endpoint':<26}{'sent':>7}{'result':>8}{'sentence':>10}{'bad':>6}{'retried':>9}"]
    total: Counter = Counter()
    for endpoint, c in [*counts.items(), ("all", total)]:
        if endpoint != "all":
            total.update(c)
        rows.append(f"{endpoint:<26}{c['sent']:>7}{c['result']:>8}{c['sentence']:>10}{c['bad']:>6}{c['retried']:>9}")
    return "\n".join(rows)
