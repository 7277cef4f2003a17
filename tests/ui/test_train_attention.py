"""The Train tab's "Attention forming" panel: the /attention handler on a finished run (no browser), and the
slider in a real browser, in English and Chinese, on a tiny run."""
from __future__ import annotations

import time

import numpy as np
import pytest
from PIL import Image

from lab import attention as A
from lab.train import BackgroundRun, TrainConfig
from lab.ui import common, train_attention as ui
from tests.ui.polish import wait_text
from tests.ui.test_zh_inside_train import CJK, english_sentences

TINY = dict(model="lenet5", train_size=128, val_size=64, batch_size=32, epochs=3, precision="fp32",
            memory_format="contiguous", threads=1)


def _finished(**kwargs) -> dict:
    run = BackgroundRun(TrainConfig(**{**TINY, **kwargs})).start()
    assert run.finished.wait(120) and run.error is None
    return {"run": run}


def test_the_slider_shows_each_epochs_frames_and_moving_it_runs_no_model(monkeypatch):
    session = _finished()
    frames = A.frames(list(session["run"].events))
    line, gallery = ui.attention(3, session)
    assert "**Epoch 3** of 3" in line and "`features.4`" in line and "Heat inside the objects' boxes" in line
    mass = np.mean(frames.in_box(3))
    assert f"**{mass:.0%}**" in line and f"epoch 0: {np.mean(frames.in_box(0)):.0%}" in line
    assert len(gallery) == 8
    for (path, caption), label, pred, p in zip(gallery, frames.labels, frames.preds[3], frames.probs[3]):
        names = frames.class_names
        assert caption == f"{'✓' if pred == label else '✗'} {names[label]} → {names[pred]} · {p:.0%}"
        assert Image.open(path).size == (ui.SHOWN, ui.SHOWN)
    first = ui.attention(0, session)[1]
    assert [p for p, _ in first] != [p for p, _ in gallery]  # other maps, other pictures
    # An epoch not reached yet shows the last one captured; the pictures are kept: no model, no drawing.
    monkeypatch.setattr(ui, "_gallery", lambda *a: pytest.fail("drawn again"))
    t0 = time.perf_counter()
    assert ui.attention(7, session)[1] == gallery and ui.attention(0, session)[1] == first
    assert time.perf_counter() - t0 < 0.1


def test_attention_in_chinese_and_its_errors():
    session = _finished(epochs=1)
    with common.language(common.ZH):
        line, gallery = ui.attention(1, session)
    assert "第 1 轮" in line and "落在物体框内的热度" in line
    assert [c for _, c in gallery] == [c for _, c in ui.attention(1, session)[1]]  # symbols and class names only
    assert english_sentences(line) == []
    with pytest.raises(ValueError, match="press Start"):
        ui.attention(0, {})
    with pytest.raises(ValueError, match="epoch"):
        ui.attention("two", session)


def _move_slider(page, value: int) -> None:
    box = page.locator("#train-att-epoch input[type=number]")
    box.fill(str(value))
    box.press("Enter")


def _srcs(page) -> str:
    return page.evaluate(_SRCS_JS)


def _tiny_run(page, model_label: str, epochs_label: str, more: str, n_train: str, n_val: str) -> None:
    model = page.locator(f"input[aria-label='{model_label}']:visible")
    model.click()
    model.fill("lenet5")
    page.get_by_role("option", name="LeNet · lenet5").click()
    epochs = page.get_by_label(f"number input for {epochs_label}")
    epochs.fill("3")
    epochs.press("Enter")
    page.get_by_text(more).click()
    page.get_by_label(n_train).fill("256")
    page.get_by_label(n_val).fill("64")
    page.get_by_label(n_val).press("Tab")
    page.locator("#train-start").click()


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_slider_moves_and_the_pictures_change(page_in, locale):
    page = page_in(locale)
    zh = locale == "zh-CN"
    page.get_by_role("tab", name="训练" if zh else "Train").click()
    if zh:
        _tiny_run(page, "网络", "轮数（epoch）", "更多设置", "训练图像数", "验证图像数")
    else:
        _tiny_run(page, "Model", "Epochs", "More settings", "Training images", "Validation images")
    wait_text(page, "#train-status", "完成" if zh else "Done", timeout=180_000)
    wait_text(page, "#train-att-line", "第 3 轮" if zh else "Epoch 3", timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('#train-att-gallery img').length === 8", timeout=30_000)
    last = _srcs(page)
    page.locator("#train-attention").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.locator("#train-attention").screenshot(path=f"/tmp/attention_{'zh' if zh else 'en'}_last.png")
    _move_slider(page, 0)
    wait_text(page, "#train-att-line", "第 0 轮" if zh else "Epoch 0", timeout=30_000)
    page.wait_for_function(f"(before) => ({_SRCS_JS})() !== before", arg=last, timeout=30_000)
    page.locator("#train-attention").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.locator("#train-attention").screenshot(path=f"/tmp/attention_{'zh' if zh else 'en'}.png")
    shown = page.locator("#train-attention").inner_text()
    if zh:
        assert english_sentences(shown) == [], english_sentences(shown)
        assert "注意力的形成" in shown and "预测类别" in shown
    else:
        assert "Attention forming" in shown and "predicted one" in shown and not CJK.search(shown)
    assert page.errors == []


_SRCS_JS = "() => [...document.querySelectorAll('#train-att-gallery img')].map(i => i.src).join(' ')"


@pytest.mark.browser
def test_the_attention_endpoint_after_a_train_call(client):
    """/attention through gradio_client, in the session of a /train call: the frames of an epoch as images and
    captions; before any run, a sentence."""
    from gradio_client import Client

    with pytest.raises(Exception, match="press Start"):
        Client(client.src, verbose=False).predict(0, api_name="/attention")
    client.predict("lenet5", "shapes", None, "scratch", 2, 32, 0.003, 32, "none", "adamw", 256, 64, 0,
                   api_name="/train")
    line, gallery = client.predict(2, api_name="/attention")
    assert "**Epoch 2** of 2" in line and len(gallery) == 8
    assert all(item["caption"].split()[0] in "✓✗" and " → " in item["caption"] for item in gallery)
    assert Image.open(gallery[0]["image"]).size == (ui.SHOWN, ui.SHOWN)
    assert client.predict(0, api_name="/attention")[0].startswith("**Epoch 0**")
