"""The Train tab's two experiments beyond one run: the degradation experiment (plain vs residual networks at
two depths, He et al. 2015 Fig. 1 and 6) and the comparison of the session's finished runs (curves overlaid,
a table, a submission CSV from a chosen run's checkpoint: the course's exercise).

The numbers come from lab: :func:`lab.degradation.run` and :func:`lab.degradation.verdict`,
:func:`lab.runs.summarize_run`, :mod:`lab.submission`. The sentences are the Train tab's (lab/ui/text/train.py).
"""
from __future__ import annotations

import os
import tempfile
import uuid
from typing import Any

import gradio as gr
import plotly.graph_objects as go
from gradio.utils import get_upload_folder
from plotly.subplots import make_subplots

from lab import degradation as D
from lab import runs
from lab import submission as S
from lab import train as T
from lab.ui import train_queue as tab
from lab.ui.common import number, speaker, translate_error, translator, upload_path, user_errors
from lab.ui.text.train import TEXT, TEXT_ZH

i18n = translator("lab.ui.train", TEXT)  # the Train tab's keys ("train.<key>")
say = speaker(TEXT, TEXT_ZH)
KEEP_RUNS = 8  # finished runs a session keeps for comparison (their checkpoints: the oldest go first)
COLOURS = ["#636efa", "#ef553b", "#00a67e", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880"]


def build(session: gr.State, after: list) -> None:
    """The two panels, below the run; ``after``: the events after which a run may have finished (the run
    lists refresh then)."""
    with gr.Accordion(i18n("deg_title"), open=True, elem_id="deg-panel"):
        gr.Markdown(i18n("deg_intro"), elem_classes=["explain"])
        default = D.Setting()
        with gr.Row():
            epochs = gr.Slider(1, 20, value=default.epochs, step=1, label=i18n("deg_epochs"), elem_id="deg-epochs")
            size = gr.Dropdown([16, 24, 32], value=default.image_size, label=i18n("deg_size"), elem_id="deg-size")
            train_size = gr.Number(value=default.train_size, precision=0, label=i18n("deg_n"), elem_id="deg-n")
        with gr.Row():
            go_btn = gr.Button(i18n("deg_start"), variant="primary", elem_id="deg-start")
            stop_btn = gr.Button(i18n("stop"), variant="stop", elem_id="deg-stop")
        status = gr.Markdown(i18n("deg_idle"), elem_id="deg-status")
        curves = gr.Plot(label=i18n("deg_curves"), elem_id="deg-curves")
        verdict_md = gr.Markdown("", elem_id="deg-verdict")
    with gr.Accordion(i18n("cmp_title"), open=True, elem_id="cmp-panel"):
        gr.Markdown(i18n("cmp_intro"), elem_classes=["explain"])
        picked = gr.Dropdown([], multiselect=True, label=i18n("cmp_runs"), elem_id="cmp-runs")
        cmp_note = gr.Markdown("", elem_id="cmp-note")
        cmp_plot = gr.Plot(label=i18n("cmp_curves"), elem_id="cmp-curves")
        table = gr.Dataframe(label=i18n("cmp_table"), interactive=False, elem_id="cmp-table")
        with gr.Row():
            run_pick = gr.Dropdown([], label=i18n("sub_run"), elem_id="sub-run")
            zip_file = gr.File(label=i18n("sub_zip"), file_types=[".zip"], type="filepath", elem_id="sub-zip")
            with gr.Column():
                hub = gr.Textbox(label=i18n("sub_hub"), placeholder=S.HUB_EXAMPLE, elem_id="sub-hub")
                split = gr.Textbox(value="test", label=i18n("sub_split"), elem_id="sub-split")
        sub_btn = gr.Button(i18n("sub_go"), elem_id="sub-go")
        sub_status = gr.Markdown("", elem_id="sub-status")
        sub_file = gr.File(label=i18n("sub_file"), interactive=False, elem_id="sub-file")

    lists = [picked, run_pick]
    deg = go_btn.click(degradation, [epochs, size, train_size, session], [status, curves, verdict_md],
                       api_name="degradation", concurrency_id="train", concurrency_limit=1, show_progress="minimal")
    deg.then(run_lists, [session], lists, api_visibility="private", queue=False)
    stop_btn.click(stop_degradation, [session], [status, curves, verdict_md], cancels=[deg],
                   api_visibility="private").then(run_lists, [session], lists, api_visibility="private", queue=False)
    for event in after:
        event.then(run_lists, [session], lists, api_visibility="private", queue=False)
    picked.change(compare, [picked, session], [cmp_note, cmp_plot, table], api_name="compare_runs")
    sub_btn.click(export, [run_pick, zip_file, hub, split, session], [sub_status, sub_file],
                  api_name="submission").failure(lambda: ("", None), None, [sub_status, sub_file],
                                                 api_visibility="private", queue=False)


# ------------------------------------------------------------------------------------------ finished runs


def keep(session: dict, events: list[dict], run_id: Any) -> None:
    """Add a finished run's summary to the session's list (once per ``run_id``), keeping :data:`KEEP_RUNS`."""
    done = session.setdefault("finished", [])
    seen = session.setdefault("kept", set())
    if run_id in seen:
        return
    summary = runs.summarize_run(events, session.get("numbered", 0) + 1)
    if summary is None:
        return
    seen.add(run_id)
    session["numbered"] = session.get("numbered", 0) + 1
    done.append(summary)
    del done[:-KEEP_RUNS]


def run_lists(session: dict):
    """The comparison's and the submission's run pickers: the session's finished runs, newest first."""
    labels = [s.label for s in reversed(session.get("finished", []))]
    return gr.update(choices=labels), gr.update(choices=labels, value=labels[0] if labels else None)


def _picked(session: dict, labels: list[str]) -> list[runs.RunSummary]:
    by_label = {s.label: s for s in session.get("finished", [])}
    return [by_label[x] for x in labels or [] if x in by_label]


@user_errors
def compare(picked: list[str], session: dict):
    """Overlay the loss and accuracy per epoch of two or more of this session's finished runs, and compare
    them in a table (model, parameters, best and final validation accuracy, time, images/s). Fewer than two
    picked: a sentence saying what to pick (not an error toast: picking the first run is on the way), and
    the old figure and table cleared."""
    chosen = _picked(session, picked)
    if len(chosen) < 2:
        why = "cmp_none_yet" if not session.get("finished") else "cmp_one" if chosen else "cmp_none"
        return say(why), None, None
    fig = make_subplots(rows=1, cols=2, subplot_titles=(say("loss_title"), say("acc_title")))
    for i, s in enumerate(chosen):
        colour, xs = COLOURS[i % len(COLOURS)], [e["epoch"] for e in s.epochs]
        name = s.label.split(" · ")[0] + " · " + s.model
        fig.add_trace(go.Scatter(x=xs, y=[e["train_loss"] for e in s.epochs], name=f"{name} {say('train')}",
                                 line=dict(color=colour, dash="dot"), legendgroup=name), 1, 1)
        fig.add_trace(go.Scatter(x=xs, y=[e["val_loss"] for e in s.epochs], name=f"{name} {say('val')}",
                                 line=dict(color=colour), legendgroup=name), 1, 1)
        fig.add_trace(go.Scatter(x=xs, y=[e["val_acc"] for e in s.epochs], name=f"{name} {say('val_acc')}",
                                 line=dict(color=colour), legendgroup=name, showlegend=False), 1, 2)
    fig.update_xaxes(title_text=say("epoch"), dtick=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_layout(height=360, margin=dict(l=40, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.25))
    rows = [[s.label, s.model, f"{s.params:,}", f"{s.best_val_acc:.1%}", f"{s.final_val_acc:.1%}",
             f"{s.wall_s:.1f} s", f"{s.images_per_s:.0f}"] for s in chosen]
    return "", fig, gr.update(value=rows, headers=say("cmp_columns"))


@user_errors
def export(run_label: str, zip_file, hub_name: str, split: str, session: dict):
    """Label a folder of test images (an uploaded zip, or a Hugging Face Hub image-classification set by
    name) with a finished run's checkpoint, as a submission CSV ``id,label`` (id: the file name without its
    extension). No run picked: the session's newest (the picker's default)."""
    newest = [s.label for s in session.get("finished", [])[-1:]]
    chosen = _picked(session, [run_label] if run_label else newest)
    if not chosen or not chosen[0].checkpoint or not os.path.exists(chosen[0].checkpoint):
        raise ValueError(say("sub_no_run"))
    path = upload_path(zip_file, say("sub_zip_what"))
    if path:
        images, skipped = S.images_from_zip(path)
        skipped = [(s.name, s.reason) for s in skipped]
    elif (hub_name or "").strip():
        images, skipped = S.hub_images(hub_name.strip(), (split or "test").strip()), []
    else:
        raise ValueError(say("sub_no_images"))
    result = S.predict(chosen[0].checkpoint, images)
    os.makedirs(get_upload_folder(), exist_ok=True)  # Gradio's own cache: served, and cleaned with it
    out = os.path.join(tempfile.mkdtemp(prefix="submission-", dir=get_upload_folder()), "submission.csv")
    with open(out, "w", encoding="utf-8") as f:
        f.write(S.submission_csv(result.rows))
    skipped += result.skipped
    line = say("sub_done", n=len(result.rows), run=chosen[0].label)
    if skipped:
        line += " " + say("sub_skipped", n=len(skipped), first=skipped[0][0])
    return line, out


# ------------------------------------------------------------------------------------------ degradation


@user_errors
def degradation(epochs, size, train_size, session: dict, request: gr.Request = None):
    """Train plain and residual CIFAR networks at depths 20 and 56 from one seed on Shapes (one run after
    another, in the training queue) and stream their training-loss curves; the last update adds the verdict
    (lab.degradation.verdict): does the deep plain net train worse, and does the residual one fix it?"""
    setting = D.Setting(epochs=number(epochs, say("n_epochs"), 1, 50, whole=True),
                        image_size=number(size, say("n_size"), 16, 64, whole=True),
                        train_size=number(train_size, say("n_train"), 64, 20_000, whole=True))
    folder = runs.new_run_dir(getattr(request, "session_hash", None) or "")
    run = T.BackgroundRun(None, events=lambda stop: D.run(setting, stop, threads=tab.THREADS, out_dir=folder))
    previous = session.get("degradation")
    if previous is not None:
        previous.stop.set()
    session["degradation"] = run
    ticket = uuid.uuid4().hex
    tab.QUEUE.begin(ticket)
    run.start()
    try:
        while True:
            finished = run.finished.wait(tab.REFRESH_S)
            if finished and run.error is not None:
                raise run.error
            if finished:  # kept before the verdict is shown: a student may export the moment they read it
                _keep_all(session, run)
            yield _deg_view(run.events, finished)
            if finished:
                break
    finally:
        run.stop.set()
        tab.QUEUE.leave(ticket)


@user_errors
def stop_degradation(session: dict):
    """Stop the experiment at its next step; the curves so far stay, and the verdict says it is incomplete."""
    run = session.get("degradation")
    if run is None:
        return i18n("nothing"), gr.update(), ""
    run.stop.set()
    run.finished.wait(60)
    _keep_all(session, run)
    return _deg_view(run.events, True)


def _keep_all(session: dict, run: T.BackgroundRun) -> None:
    """The experiment's finished networks join the session's runs (to compare, or to label a test set)."""
    events = list(run.events)
    for name in D.names():
        own = [e for e in events if e.get("run") == name]
        if own and own[-1].get("done"):
            keep(session, own, (id(run), name))


def _deg_view(events: list[dict], finished: bool):
    """Status line, the four training-loss curves on one plot, and (at the end) the verdict sentence."""
    events = list(events)
    done = [e["run"] for e in events if e.get("done")]
    current = events[-1]["run"] if events else D.names()[0]
    if finished:
        stopped = len(done) < len(D.names()) or any(e.get("done") and e["stopped"] for e in events)
        status = say("deg_stopped" if stopped else "deg_done", n=len(done))
    else:
        step = next((e for e in reversed(events) if e["kind"] == "step"), None)
        status = say("deg_running", name=current, k=len(done) + 1, epoch=step["epoch"] if step else 1,
                     step=step["step"] if step else 0)
    return status, degradation_figure(events), _verdict_text(events) if finished else ""


def degradation_figure(events: list[dict]) -> go.Figure:
    """Each network's training loss (smoothed, per step) against epochs, the four on one plot: plain dashed,
    residual solid; depth 56 the darker."""
    fig = go.Figure()
    colours = {"plain20_cifar": "#f4a582", "plain56_cifar": "#b2182b", "resnet20_cifar": "#92c5de",
               "resnet56_cifar": "#2166ac"}
    for name in D.names():
        start = next((e for e in events if e.get("run") == name and e["kind"] == "start"), None)
        steps = [e for e in events if e.get("run") == name and e["kind"] == "step"]
        if start is None or not steps:
            continue
        avg, ys = None, []
        for e in steps:
            avg = e["train_loss"] if avg is None else 0.9 * avg + 0.1 * e["train_loss"]
            ys.append(avg)
        fig.add_trace(go.Scatter(x=[e["step"] / start["steps_per_epoch"] for e in steps], y=ys, name=name,
                                 mode="lines" if len(steps) > 20 else "lines+markers",
                                 line=dict(color=colours.get(name), width=2,
                                                         dash="dash" if name.startswith("plain") else "solid")))
    fig.update_layout(height=360, margin=dict(l=40, r=10, t=30, b=40), xaxis_title=say("epoch"),
                      yaxis_title=say("train_loss_avg"), legend=dict(orientation="h", y=-0.25), uirevision="deg")
    return fig


def _verdict_text(events: list[dict]) -> str:
    """The verdict sentence, computed from the runs (never written in advance)."""
    v = D.verdict(events)
    if not v.complete:
        return say("deg_incomplete")
    loss = {k.split("_")[0]: f"{x:.3f}" for k, x in v.final_loss.items()}
    plain = say("deg_plain_yes" if v.plain_degrades else "deg_plain_no", a=loss["plain20"], b=loss["plain56"])
    residual = say("deg_res_yes" if v.residual_does_not else "deg_res_no", a=loss["resnet20"], b=loss["resnet56"])
    return f"{plain} {residual}"
