"""A full queue: past ``max_size`` waiting requests a student reads, in their language, that the class is busy
and to try again in a minute (Gradio's own toast is an English sentence; lab/ui/serving.py, busy_js)."""
from __future__ import annotations

import threading
import time

import pytest

from lab.data import make_shapes
from lab.ui import common, serving
from tests.conftest import running_app


@pytest.fixture(scope="module")
def busy_url(tmp_path_factory):
    """An app whose queue holds one waiting request."""
    with running_app(tmp_path_factory.mktemp("busy") / "app.log", CNNLAB_MAX_QUEUE="1") as url:
        yield url


def _keep_the_queue_full(url: str, folder, until: float) -> None:
    """New pictures on ResNet-50 (none cached), sent faster than two at a time can answer them."""
    from gradio_client import Client, handle_file

    client, k = Client(url, verbose=False), 0
    while time.monotonic() < until:
        k += 1
        path = folder / f"busy_{k}.png"
        make_shapes(1, 192, seed=900 + k)[0].image.save(path)
        client.submit(image=handle_file(str(path)), model="resnet50", weights="random", api_name="/cam")
        time.sleep(0.2)


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_full_queue_says_the_class_is_busy_in_the_students_language(browser, busy_url, tmp_path, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(busy_url, wait_until="domcontentloaded")
        page.locator(".lab-header").wait_for(timeout=60_000)
        page.wait_for_timeout(3_000)  # the page's own first requests answered
        page.get_by_role("tab", name="网络内部" if locale == "zh-CN" else "Inside").click()
        filler = threading.Thread(target=_keep_the_queue_full, args=(busy_url, tmp_path, time.monotonic() + 40),
                                  daemon=True)
        filler.start()
        wanted = common.TEXT_ZH["busy"] if locale == "zh-CN" else common.TEXT["busy"]
        deadline, said = time.monotonic() + 35, ""
        while time.monotonic() < deadline and wanted not in said:
            page.locator("#inside-run").click()
            page.wait_for_timeout(700)
            said = "\n".join(page.locator(".toast-body").all_inner_texts())
        assert wanted in said, said
        assert serving.GRADIO_BUSY not in said
        filler.join()
    finally:
        context.close()
