"""The Architecture tab in a real browser, and its /summarize API endpoint."""
import pytest
from gradio_client.exceptions import AppError

from lab.ui import architecture as arch

CHARTS = ["arch-pyramid", "arch-rf", "arch-params", "arch-macs", "arch-compare"]


def _table_shows(page, text: str, timeout: int = 30_000) -> None:
    page.wait_for_function(
        "t => (document.querySelector('#arch-table')?.innerText ?? '').includes(t)", arg=text, timeout=timeout
    )


def _pick(page, label: str) -> None:
    page.locator("#arch-model input").click()
    page.get_by_role("option", name=label, exact=True).click()


@pytest.mark.browser
def test_the_default_network_appears_on_load(page):
    _table_shows(page, "layer4 (Sequential: 2× BasicBlock)", timeout=60_000)
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} .js-plotly-plot", timeout=30_000)
    assert "Feature pyramid" in page.locator("#arch-pyramid").inner_text()
    totals = page.locator("#arch-totals").inner_text()
    assert "11,689,512" in totals and "1.81 G MACs" in totals and "FLOPs ≈ 2 × MACs" in totals
    assert "Deep Residual Learning" in page.locator("#arch-card").inner_text()
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []


@pytest.mark.browser
def test_pick_a_network_then_an_impossible_resolution(page):
    _table_shows(page, "layer1", timeout=60_000)
    _pick(page, "AlexNet · alexnet")
    _table_shows(page, "features.0–2 (Conv2d, ReLU, MaxPool2d)")
    assert "ImageNet Classification" in page.locator("#arch-card").inner_text()
    assert "61,100,840" in page.locator("#arch-totals").inner_text()

    resolution = page.locator("#arch-resolution input[type=number]")
    resolution.fill("16")
    resolution.press("Enter")
    toast = page.locator(".toast-body.error").first
    toast.wait_for(timeout=30_000)
    message = toast.inner_text()
    assert "too small for alexnet" in message and "features.5 (MaxPool2d)" in message and "63×63" in message

    resolution.fill("63")  # the size the message suggests works
    resolution.press("Enter")
    page.wait_for_function(
        "() => (document.querySelector('#arch-totals')?.innerText ?? '').includes('3×63×63')", timeout=30_000
    )
    assert page.errors == []


@pytest.mark.browser
def test_fold_and_search_the_table(page):
    _table_shows(page, "layer1", timeout=60_000)
    page.get_by_label("Every layer").check()
    _table_shows(page, "layer1.0.conv1")
    search = page.get_by_label("Search layers")
    search.press_sequentially("downsample")  # typed: Gradio's input event follows keystrokes
    page.wait_for_function(  # only the three projection shortcuts (conv + BN each) are left
        "() => { const t = document.querySelector('#arch-table').innerText;"
        " return t.includes('layer2.0.downsample.0') && !t.includes('layer1.0.conv1'); }", timeout=30_000)
    text = page.locator("#arch-table").inner_text()
    assert text.count("downsample") == 6
    search.press("Control+a")
    search.press("Backspace")
    page.get_by_label("Depth 1").check()
    _table_shows(page, "Sequential (12 calls)")


def test_summarize_endpoint_returns_the_layer_table(client):
    table, totals = client.predict(model="resnet18", resolution=224, api_name="/summarize")
    assert table["headers"][:5] == ["#", "Layer", "Type", "Input C×H×W", "Output C×H×W"]
    assert len(table["data"]) == 60
    assert table["data"][0][:6] == [1, "conv1", "Conv2d", "3×224×224", "64×112×112", "9,408"]
    assert (totals["total_params"], totals["total_macs"]) == (11_689_512, 1_814_073_344)
    small, _ = client.predict(model="resnet18", resolution=64, api_name="/summarize")
    assert small["data"][0][4] == "64×32×32"


def test_summarize_endpoint_takes_exactly_model_and_resolution(client):
    api = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/summarize"]
    assert [p["parameter_name"] for p in api["parameters"]] == ["model", "resolution"]


@pytest.mark.parametrize("model,resolution,sentence", [
    ("alexnet", 16, "The smallest input that works is 63×63 px"),
    ("resnet18", 0, "at least 1×1 pixel"),
    ("resnet18", 5000, "limit of 1024 px"),
    ("resnet5", 224, "Did you mean resnet50"),
])
def test_summarize_endpoint_errors_are_sentences(client, model, resolution, sentence):
    with pytest.raises(AppError, match=sentence):
        client.predict(model=model, resolution=resolution, api_name="/summarize")


def test_handlers_fill_the_outputs_by_name():
    setting = arch.pick_model("alexnet")  # goes into the inputs; then the network is shown for them
    assert setting == arch.Setting(timm_name="", resolution=224, channels=3, classes=1000)
    shown = arch.change_settings("alexnet", *setting, "Stages", "")
    assert shown.state.total_params == 61_100_840 and "61,100,840" in shown.totals
    assert "ImageNet Classification" in shown.card and shown.code_caption.startswith("The source of `lab.models.alexnet`")
    compared = arch.compare(["resnet50", "lenet5"])
    assert list(compared.table["Network"]) == ["resnet50", "lenet5"] and "lenet5" in compared.note
