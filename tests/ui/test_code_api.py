"""Show me the code in the app, without a browser: every view has its panel, /code answers in the request's
language, and a setting the view cannot use yet is a comment saying so, not an error."""
from __future__ import annotations

import gradio as gr
import pytest

from lab.snippets import VIEWS
from lab.ui import code, common


def test_every_view_has_a_code_panel_and_the_code_endpoint_is_named():
    import app

    ids = {getattr(b, "elem_id", None) for b in app.demo.blocks.values() if isinstance(b, gr.Code)}
    assert {f"code-{v.replace('_', '-')}" for v in VIEWS} <= ids
    assert "/code" in {f"/{d.api_name}" for d in app.demo.fns.values() if d.api_name}


def test_the_endpoint_speaks_the_request_language_and_refuses_what_it_cannot_use():
    with common.language(common.ZH):
        zh = code.snippets.snippet("scaling", common.ZH, phi=2)
    assert "复合缩放" in zh and "phi, alpha, beta, gamma = 2, 1.2, 1.1, 1.15" in zh
    assert "# Compound scaling" in code.api_code("scaling", {"phi": 2}) and "w, d, r = 1.4" in code.api_code(
        "scaling", {"compound": False, "width": 1.4})
    with pytest.raises(gr.Error, match="no setting named 'phy'"):
        code.api_code("scaling", {"phy": 2})
    with pytest.raises(gr.Error, match="object of names and values"):
        code.api_code("scaling", "phi=2")


def test_a_half_typed_setting_is_a_comment_in_the_panel():
    shown = code.show("softmax", {"logits": "2, 1, -", "temperature": 1})
    assert shown.startswith("# Type numbers") and shown.count("\n") == 1
    with common.language(common.ZH):
        assert code.show("softmax", {"logits": "2, x", "temperature": 1}).startswith("# 请输入用逗号分隔的数字")
    assert code._file({"path": "/tmp/gradio/abc/shapes_star.png", "orig_name": "shapes_star.png"}) == \
        "assets/shapes_star.png"
    assert code._file({"path": "/tmp/gradio/abc/my cat's photo.jpg"}) == "my cat's photo.jpg"
    assert code._file(None) is None
