"""A fixed-seed slice of the endpoint fuzzer (tests/fuzz.py; the full run is benchmarks/fuzz_endpoints.py):
every named endpoint answers hostile input with a result or a sentence, and still serves a normal request."""
from __future__ import annotations

import json
import random

import pytest
from gradio_client import handle_file

from tests import fuzz

SEED = 11
PER_ENDPOINT = 20


def test_the_api_lists_the_endpoints_a_student_script_uses(client):
    found = fuzz.endpoints(client)
    assert {"/summarize", "/scale", "/cam", "/feature_maps", "/train"} <= set(found)
    # The feature maps that follow every CAM are the page's own, not endpoints of their own.
    assert not [e for e in found if e.startswith("/feature_maps_if_image")]


def test_no_input_defaults_to_or_shows_a_url(client):
    """The API page's defaults (and its examples for images) are the app's own files, never a file on the web."""
    api = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    for endpoint, info in api.items():
        for p in info["parameters"]:
            shown = [p.get("parameter_default")] + ([p.get("example_input")] if p["component"] == "Image" else [])
            assert "://" not in json.dumps(shown), f"{endpoint} {p['parameter_name']}: {shown}"
    image = next(p for p in api["/cam"]["parameters"] if p["parameter_name"] == "image")
    assert image["parameter_default"]["orig_name"] == "shapes_circle.png"
    assert image["parameter_default"]["url"] == image["example_input"]["url"]


def test_a_number_sent_as_text_is_a_sentence_naming_the_input(client):
    with pytest.raises(Exception) as e:
        client.predict(**dict(fuzz.TINY_TRAIN, lr="abc"), api_name="/train")
    assert fuzz.classify(e.value)[0] == "sentence"
    assert "The lr sent to /train cannot be used ('abc'): send a number from 1e-06 to 10" in str(e.value)


@pytest.mark.parametrize("value", ["/etc/passwd", {"path": "/etc/passwd"}, {"path": "../../etc/passwd"},
                                   {"path": "~/.ssh/id_rsa"}, "file:///etc/passwd",
                                   {"path": "C:\\Windows\\win.ini", "url": "http://127.0.0.1:1/x.png"}])
def test_a_path_of_the_callers_choosing_is_never_read(client, value):
    for endpoint, kwargs in (("/cam", dict(model="lenet5", weights="random")), ("/kernel_images", {})):
        with pytest.raises(Exception) as e:
            client.predict(image=value, api_name=endpoint, **kwargs)
        kind, text = fuzz.classify(e.value)
        assert kind == "sentence" and "root:" not in text, text
    with pytest.raises(Exception) as e:  # a checkpoint by path
        client.predict(image=handle_file(str(fuzz.ASSETS / "shapes_circle.png")), model="lenet5",
                       weights="checkpoint", checkpoint=value, api_name="/cam")
    assert fuzz.classify(e.value)[0] == "sentence"


def test_a_fixed_seed_slice_of_the_fuzzer_finds_nothing(client, tmp_path):
    out = fuzz.fuzz(client, PER_ENDPOINT, SEED, tmp_path, batch=PER_ENDPOINT)
    bad = [f"{o.endpoint}: {o.detail} <- {str(o.case)[:300]}" for o in out["bad"]]
    assert not bad, "\n".join(bad)
    assert not out["unhealthy"]
    api = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    for endpoint, counts in out["counts"].items():
        assert counts["sent"] == PER_ENDPOINT, endpoint
        if api[endpoint]["parameters"]:  # /lineage takes none: nothing to make hostile
            assert counts["sentence"] > 0, f"{endpoint}: no hostile input was refused"


def test_cases_are_reproducible_and_hostile(tmp_path):
    params = [{"parameter_name": "lr", "component": "Number", "parameter_has_default": True,
               "parameter_default": 0.002, "type": {"type": "number"}},
              {"parameter_name": "image", "component": "Image", "parameter_has_default": False, "type": {}}]
    files = fuzz.make_files(tmp_path, random.Random(0))
    one = fuzz.cases("/x", params, random.Random(3), 40, files)
    two = fuzz.cases("/x", params, random.Random(3), 40, files)
    assert repr(one) == repr(two)
    assert sum(c["lr"] != 0.002 for c in one) >= 10  # most cases change something
    assert fuzz.classify(None)[0] == "result"
