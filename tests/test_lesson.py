"""lab.lesson: a view's state <-> a URL query. Round trips, defaults that follow other values, and a decoder
that never raises on whatever a link (or a mangled copy of one) holds."""
from __future__ import annotations

import random
import string
from urllib.parse import parse_qsl

import pytest

from lab import inspect as li
from lab import lesson as L
from lab import scaling as S
from lab.transfer import MODES


def test_an_empty_query_is_the_default_tab_at_its_defaults():
    state, notes = L.decode({})
    assert notes == [] and state["tab"] == L.DEFAULT_TAB and state["hide"] == []
    assert L.encode(state) == f"tab={L.DEFAULT_TAB}"


def test_the_readme_link_decodes_to_its_focused_view():
    state, notes = L.decode("tab=inside&model=resnet18&image=cat.jpg&method=gradcam%2B%2B&hide=model")
    assert notes == []
    assert (state["tab"], state["model"], state["image"], state["method"], state["hide"]) == (
        "inside", "resnet18", "cat.jpg", "gradcam++", ["model"])
    assert state["opacity"] == 0.5 and state["layer"] is None  # untouched: the tab's defaults


def test_encode_writes_only_what_differs_in_schema_order():
    q = L.encode({"hide": ["method", "model"], "method": "gradcam++", "tab": "inside", "image": "cat.jpg",
                  "model": "resnet18", "opacity": 0.5, "nonsense": 3})
    assert q == "tab=inside&model=resnet18&image=cat.jpg&method=gradcam%2B%2B&hide=method,model"


@pytest.mark.parametrize("tab", list(L.TABS))
def test_every_tab_round_trips_a_random_valid_state(tab):
    rng = random.Random(tab)
    for _ in range(30):
        state = {"tab": tab, "hide": rng.sample(list(L.controls(tab)), rng.randint(0, 2))}
        for c in L.TABS[tab]:
            if c.kind == "choice":
                state[c.key] = rng.choice(c.choices)
            elif c.kind == "int":
                state[c.key] = rng.randint(int(c.lo), int(c.hi))
            elif c.kind == "float":
                state[c.key] = round(rng.uniform(c.lo, c.hi), 3)
            elif c.kind == "bool":
                state[c.key] = rng.random() < 0.5
            else:
                state[c.key] = rng.choice([None, "layer4", "features.7.0"])
        again, notes = L.decode(L.encode(state))
        assert notes == []
        expected, _ = L.decode({k: v for k, v in state.items() if v is not None and k != "hide"}
                               | {"hide": ",".join(state["hide"])})
        assert again == expected
        assert L.encode(again) == L.encode(state)


def test_defaults_follow_the_network_and_phi():
    lenet, _ = L.decode("tab=architecture&model=lenet5")
    assert (lenet["ch"], lenet["res"], lenet["classes"]) == (1, 32, 10) == (*li.usual_input_size("lenet5")[:2], 10)
    assert L.encode(lenet) == "tab=architecture&model=lenet5"  # its usual setting is no news
    assert L.encode({**lenet, "res": 64}) == "tab=architecture&model=lenet5&res=64"
    b3, _ = L.decode("tab=scaling&phi=3")
    w, d, r = S.compound(3.0)
    assert (b3["w"], b3["d"], b3["r"]) == (round(w, 4), round(d, 4), r) and r == 341  # 224·1.15³
    # compound mode: φ decides the three; a stray w= cannot contradict it. Free mode keeps them.
    assert L.decode("tab=scaling&phi=3&w=3.9")[0]["w"] == round(w, 4)
    assert L.decode("tab=scaling&mode=free&w=3.9")[0]["w"] == 3.9
    train, _ = L.decode("tab=train&mode=linear_probe")
    assert train["lr"] == MODES["linear_probe"].lr == 1e-2
    assert L.encode(train) == "tab=train&mode=linear_probe"


def test_bad_values_fall_back_to_their_default_with_a_sentence():
    state, notes = L.decode("tab=inside&model=resnet9000&opacity=2&layer=..%2Fetc&method=&hide=model,nope&x=1")
    assert (state["model"], state["opacity"], state["layer"], state["method"]) == (
        L.controls("inside")["model"].default, 0.5, None, "gradcam")
    assert state["hide"] == ["model"]
    assert len(notes) == 4  # model, layer, opacity, hide (an empty method= says nothing)
    assert notes[2] == "opacity='2' in the link is not a number from 0 to 1; 0.5 is used instead."
    assert notes[-1] == "The link hides 'nope', which the inside tab does not have: ignored."
    state, notes = L.decode("tab=nowhere&res=64")
    assert state["tab"] == "architecture" and state["res"] == 64 and "tab='nowhere'" in notes[0]


def test_whole_numbers_refuse_fractions_and_numbers_refuse_nan():
    state, notes = L.decode("tab=layers&k=3.5&beta=nan&t=inf&size=1e2")
    assert (state["k"], state["beta"], state["t"], state["size"]) == (7, 1.0, 1.0, 100)
    assert len(notes) == 3


def test_encode_refuses_what_it_cannot_write():
    with pytest.raises(ValueError, match="CNN Lab has no tab 'zoo'"):
        L.encode({"tab": "zoo"})
    with pytest.raises(ValueError, match="The lesson link's res must be a whole number from 1 to 1024, not '0'"):
        L.encode({"tab": "architecture", "res": 0})
    with pytest.raises(ValueError, match="has no control 'size' to hide"):
        L.encode({"tab": "inside", "hide": ["size"]})
    assert L.encode({"tab": "train", "batch": 128}) == "tab=train&batch=128"  # a number, as the API sends it


def test_an_ab_link_round_trips_and_its_defaults_are_the_tabs():
    from lab.ui import ab
    assert (L.controls("ab")["a"].default, L.controls("ab")["wa"].default) == ab.DEFAULTS["a"]
    assert (L.controls("ab")["b"].default, L.controls("ab")["wb"].default) == ab.DEFAULTS["b"]
    query = L.encode({"tab": "ab", "b": "resnet18", "wb": "random", "image": "cat.jpg", "hide": ["a"]})
    assert query == "tab=ab&b=resnet18&image=cat.jpg&hide=a"  # wb=random is the default: not written
    state, notes = L.decode(query)
    assert notes == [] and (state["b"], state["wb"], state["image"], state["hide"]) == ("resnet18", "random",
                                                                                       "cat.jpg", ["a"])


def test_the_layers_ranges_are_the_tabs():
    from lab.ui.layers import BOXES

    names = dict(size="size", cin="c_in", cout="c_out", k="k", s="s", p="p", d="d", g="g")
    for key, box in names.items():
        c = L.controls("layers")[key]
        _, lo, hi = BOXES[box]
        assert c.lo == lo and (hi is None or c.hi == hi), key


def _garbage(rng: random.Random) -> str:
    alphabet = string.printable + "φ你好%&=?,#\x00\u202e"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))


def test_decode_never_raises_on_garbage():
    rng = random.Random(13)
    keys = ["tab", "hide", *{c.key for tab in L.TABS.values() for c in tab}]
    for _ in range(2000):
        query = {rng.choice(keys): _garbage(rng) for _ in range(rng.randint(0, 6))}
        if rng.random() < 0.3:
            query["tab"] = rng.choice(list(L.TABS))
        state, notes = L.decode(query)
        assert state["tab"] in L.TABS and all(isinstance(n, str) for n in notes)
        L.encode(state)  # whatever a link held, the state it became can be written again
    for raw in ["&&&", "=", "tab", "%zz", "hide=" + "," * 500, "tab=inside&" * 300, "x" * 10_000]:
        state, _ = L.decode(raw)
        assert dict(parse_qsl(L.encode(state)))["tab"] in L.TABS


def test_decode_takes_api_values_of_any_type():
    for value in [None, 3, 2.5, True, [1], {"a": 1}, float("nan")]:
        state, notes = L.decode({"tab": "inside", "opacity": value, "hide": value, "model": value})
        assert state["opacity"] == 0.5 and state["model"] == L.controls("inside")["model"].default
