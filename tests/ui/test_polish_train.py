"""Issue 15 in the Train tab: an emptied number box is a sentence, a failed start clears the last run's
results, and the per-class chart labels every bar, 0 % included, with its toolbar out of the title's way."""
from __future__ import annotations

import pytest

from lab.ui import train as ui

pytestmark = pytest.mark.browser

TINY = dict(model="lenet5", dataset="shapes", zip_file=None, mode="scratch", epochs=1, batch=32, lr=0.003, size=32,
            aug="none", optimizer="adamw", train_size=256, val_size=64, seed=0)


@pytest.mark.parametrize("box, value, sentence", [
    ("lr", None, "The learning rate is empty"),
    ("seed", None, "The seed is empty"),
    ("epochs", 2.5, "Epochs must be a whole number"),
    ("batch", None, "The batch size is empty"),
])
def test_an_emptied_or_mistyped_number_box_is_a_sentence(client, box, value, sentence):
    """Through the /train endpoint (what the page sends): a sentence, never '(TypeError)'."""
    with pytest.raises(Exception) as err:
        client.predict(**{**TINY, box: value}, api_name="/train")
    assert sentence in str(err.value) and "TypeError" not in str(err.value)


def test_clearing_the_learning_rate_in_the_browser_says_what_to_type_and_clears_the_old_curves(page):
    page.get_by_role("tab", name="Train").click()
    model = page.get_by_label("Model", exact=True)
    model.click()
    model.fill("lenet5")
    page.get_by_role("option", name="LeNet · lenet5").click()
    page.get_by_text("More settings").click()
    page.get_by_label("Training images").fill("256")
    page.get_by_label("Validation images").fill("64")
    page.get_by_label("Validation images").press("Tab")
    page.locator("#train-start").click()
    page.wait_for_function("() => document.querySelector('#train-status').innerText.includes('Done')", timeout=180_000)
    page.wait_for_selector("#train-curves .js-plotly-plot", timeout=30_000)
    page.wait_for_selector("#train-results", state="visible", timeout=30_000)

    lr = page.get_by_label("Learning rate")
    lr.fill("")
    lr.press("Tab")
    page.locator("#train-start").click()
    page.wait_for_selector(".toast-body.error", timeout=30_000)
    toast = page.inner_text(".toast-body.error")
    assert "The learning rate is empty" in toast and "TypeError" not in toast
    page.wait_for_function("() => document.querySelector('#train-status').innerText.includes('Not started')",
                           timeout=30_000)
    assert page.locator("#train-curves .js-plotly-plot").count() == 0  # the old run's curves are gone
    assert not page.locator("#train-results").is_visible()
    assert lr.is_editable()  # the box to fix stays a box, not an error pill
    page.screenshot(path="/tmp/shots/train_empty_lr.png", full_page=True)


def test_per_class_bars_are_all_labelled_and_the_toolbar_stands_aside():
    final = {"per_class_acc": [0.0, 0.5, 1.0], "class_names": ["a", "b", "c"]}
    fig = ui.per_class_figure(final)
    bar = fig.data[0]
    assert list(bar.text) == ["0%", "50%", "100%"]
    assert bar.textposition == "outside" and bar.cliponaxis is False  # a 0 % bar has no inside to write in
    assert fig.layout.xaxis.range[1] > 1.1  # room for "100%" beyond the longest bar
    assert fig.layout.modebar.orientation == "v"  # a vertical toolbar on the right, not over the title
