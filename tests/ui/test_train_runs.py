"""The Train tab's degradation experiment and run comparison, through their handlers (a tiny real
experiment: 1 epoch of 64 Shapes images at 16 px), in English and Chinese."""
from __future__ import annotations

import zipfile
from pathlib import Path

import gradio as gr
import pytest

from lab import degradation as D
from lab.ui import common, train_runs
from tests.ui import test_zh_inside_train as zh_tests  # its detectors of Chinese and English sentences

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(scope="module")
def session() -> dict:
    """A session after the tiny experiment: its four networks are the session's finished runs."""
    session: dict = {}
    for last in train_runs.degradation(1, 16, 64, session):
        session["kept_when_shown"] = len(session.get("finished", []))  # as each update reaches the page
    session["last"] = last
    return session


def test_the_experiment_streams_curves_and_a_verdict_computed_from_its_runs(session):
    status, fig, verdict = session["last"]
    assert status.startswith("**Done:** 4 of the 4")
    assert [t.name for t in fig.data] == D.names() and all(len(t.y) == 1 for t in fig.data)  # 64 // 64 = 1 step each
    v = D.verdict(list(session["degradation"].events))
    assert v.complete
    assert verdict.startswith("**Degradation shown" if v.plain_degrades else "**Degradation not shown")
    assert f"{v.final_loss['plain56_cifar']:.3f}" in verdict and f"{v.final_loss['resnet20_cifar']:.3f}" in verdict
    assert [s.model for s in session["finished"]] == D.names()
    # The runs are the session's when the verdict is shown, not only once the generator is closed after it.
    assert session["kept_when_shown"] == 4


def test_comparing_needs_two_runs_and_shows_the_real_numbers(session):
    labels = [s.label for s in session["finished"]]
    for picked, sentence in (([], "none is picked"), (labels[:1], "only one is picked")):
        assert sentence in train_runs.compare(picked, session)[0]
    assert train_runs.compare(labels[:2], {})[0].startswith("No run has finished")
    note, fig, table = train_runs.compare(labels[:2], session)
    assert note == ""
    assert len(fig.data) == 6  # train and validation loss, validation accuracy, per run
    first = session["finished"][0]
    assert table["value"][0][:5] == [first.label, "plain20_cifar", f"{first.params:,}", f"{first.best_val_acc:.1%}",
                                      f"{first.final_val_acc:.1%}"]
    lists = train_runs.run_lists(session)
    assert lists[0]["choices"] == labels[::-1] and lists[1]["value"] == labels[-1]


def test_a_submission_from_a_runs_checkpoint_and_its_sentences(session, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))  # the handler reads uploads only (as Gradio saves them)
    path = tmp_path / "test.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name in ("circle", "star"):
            z.write(ASSETS / f"shapes_{name}.png", f"images/{name}.png")
    label = session["finished"][-1].label
    line, csv = train_runs.export(label, str(path), "", "test", session)
    rows = Path(csv).read_text().splitlines()
    assert rows[0] == "id,label" and [r.split(",")[0] for r in rows[1:]] == ["circle", "star"]
    assert line.startswith("**2 images labelled**")
    assert train_runs.export(None, str(path), "", "test", session)[0] == line  # none picked: the newest
    with pytest.raises(gr.Error, match="Pick a finished run"):
        train_runs.export(None, str(path), "", "test", {})
    with pytest.raises(gr.Error, match="Upload a .zip of test images"):
        train_runs.export(label, None, " ", "test", session)


def test_the_panels_sentences_in_chinese(session):
    labels = [s.label for s in session["finished"]]
    with common.language(common.ZH):
        status, fig, verdict = train_runs._deg_view(list(session["degradation"].events), True)
        texts = [status, verdict, fig.layout.xaxis.title.text]
        texts += [train_runs.compare(picked, session)[0] for picked in ([], labels[:1])]
        texts.append(train_runs.compare([], {})[0])
        _, fig, table = train_runs.compare(labels[:2], session)
        texts += [a.text for a in fig.layout.annotations] + table["headers"]
        texts.append(train_runs._verdict_text([]))
    assert [t for t in texts if not zh_tests.chinese(t)] == [], texts
    assert zh_tests.english_sentences("\n".join(texts)) == []


def _experiment_then_compare(page, start: str, done: str, pick: str) -> None:
    """A tiny experiment (1 epoch of 64 images at 16 px) in the browser, then two of its runs compared."""
    epochs = page.locator("#deg-epochs input[type=number]")
    epochs.fill("1")
    epochs.press("Enter")
    page.locator("#deg-n input").fill("64")
    page.locator("#deg-n input").press("Tab")
    page.get_by_role("button", name=start).click()
    page.wait_for_function(f"() => document.querySelector('#deg-status').innerText.includes({done!r})",
                           timeout=180_000)
    page.wait_for_function("() => document.querySelector('#deg-verdict').innerText.length > 20", timeout=30_000)
    page.wait_for_function("() => { const p = document.querySelector('#deg-curves .js-plotly-plot');"
                           " return p && p.data && p.data.length == 4; }", timeout=30_000)
    runs = page.locator("#cmp-runs input")
    runs.click()
    page.get_by_role("option", name="· plain20_cifar ·").click()
    page.wait_for_function("() => document.querySelector('#cmp-note').innerText.length > 10", timeout=30_000)
    runs.click()
    page.get_by_role("option", name="· resnet56_cifar ·").click()
    page.locator("#cmp-panel").get_by_text(pick).first.click()  # close the list
    page.wait_for_function("() => { const p = document.querySelector('#cmp-curves .js-plotly-plot');"
                           " return p && p.data && p.data.length == 6; }", timeout=60_000)
    page.wait_for_function("() => document.querySelector('#cmp-table').innerText.includes('resnet56_cifar')",
                           timeout=30_000)


@pytest.mark.browser
@pytest.mark.slow
def test_the_experiment_and_a_comparison_in_the_browser(page):
    page.get_by_role("tab", name="Train").click()
    _experiment_then_compare(page, "Run the experiment", "Done:", "Runs to compare")
    verdict = page.inner_text("#deg-verdict")
    assert "plain network" in verdict and ("ResNet-56" in verdict)
    page.wait_for_timeout(800)
    page.locator("#deg-panel").screenshot(path="/tmp/train_degradation_en.png")
    page.locator("#cmp-panel").screenshot(path="/tmp/train_compare_en.png")
    assert page.locator(".toast-body.error").count() == 0 and page.errors == []


def test_a_fine_tune_without_imagenet_weights_says_it_starts_from_random_weights():
    from lab.ui import train

    note = [{"kind": "note", "message": "Pretrained weights unavailable offline: training from random weights. "
             "(resnet50: no network)"}]
    assert "training from random weights" in train._notes(note)  # the run's note, in the notes under Start
    with common.language(common.ZH):
        assert "随机权重" in train._notes(note)


def test_stop_ends_the_experiment_and_the_verdict_says_it_is_incomplete():
    session: dict = {}
    stream = train_runs.degradation(3, 16, 2000, session)  # long enough to be still going at Stop
    first = next(stream)
    assert first[0].startswith(("**Training", "**Done"))
    status, _, verdict = train_runs.stop_degradation(session)
    stream.close()  # what Gradio does when Stop cancels the event
    assert session["degradation"].finished.is_set()
    assert verdict.startswith("**No verdict:**") and status.startswith("**Stopped:**")
    assert len(session.get("finished", [])) < 4


@pytest.mark.browser
def test_a_submission_csv_downloads_in_the_browser(page, tmp_path):
    """The tab's own session: a tiny experiment already recorded here (a replay), then a zip of two images."""
    page.get_by_role("tab", name="Train").click()
    epochs = page.locator("#deg-epochs input[type=number]")
    epochs.fill("1")
    epochs.press("Enter")
    page.locator("#deg-n input").fill("64")
    page.locator("#deg-n input").press("Tab")
    page.get_by_role("button", name="Run the experiment").click()
    # Done, not "the verdict has text": while the run waits or streams, Gradio's progress line ("processing |
    # 0.4s") sits in the verdict's box too, and a click on the export then came before the runs were kept.
    page.wait_for_function("() => document.querySelector('#deg-status').innerText.includes('Done:')",
                           timeout=180_000)
    path = tmp_path / "test.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name in ("circle", "star"):
            z.write(ASSETS / f"shapes_{name}.png", f"images/{name}.png")
    page.locator("#sub-zip input[type=file]").set_input_files(str(path))
    # The upload finished (its name shown) before the button is pressed: a loaded machine takes its time.
    page.wait_for_function("() => (document.querySelector('#sub-zip')?.innerText ?? '').includes('test.zip')",
                           timeout=60_000)
    page.locator("#sub-go").click()
    try:
        page.wait_for_function("() => document.querySelector('#sub-status').innerText.includes('2 images labelled')",
                               timeout=60_000)
    except Exception:  # say what the page showed instead
        toasts = page.locator(".toast-body").all_inner_texts()
        raise AssertionError(f"picker {page.locator('#sub-run input').input_value()!r}, "
                             f"status {page.inner_text('#sub-status')!r}, toasts {toasts}") from None
    page.locator("#sub-file a[download='submission.csv']").wait_for(timeout=30_000)
    assert page.errors == []
