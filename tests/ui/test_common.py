"""lab/ui/common.py: a user's mistake is a sentence on screen and one line in the log; a real failure keeps
its traceback, so it does not drown among ordinary mistakes (issue 15, item 11)."""
from __future__ import annotations

import logging

import gradio as gr
import pytest

from lab.ui import common


@pytest.fixture
def records():
    got: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            got.append(record)

    handler = Keep()
    common.log.addHandler(handler)
    yield got
    common.log.removeHandler(handler)


def test_a_user_mistake_is_one_log_line_without_traceback(records):
    @common.user_errors
    def handler(x):
        raise ValueError("The learning rate must be above 0 (e.g. 0.001).")

    with pytest.raises(gr.Error) as err:
        handler(1)
    assert err.value.message == "The learning rate must be above 0 (e.g. 0.001)."
    assert err.value.print_exception is False  # Gradio prints no traceback for it either
    assert len(records) == 1 and records[0].levelno == logging.INFO and records[0].exc_info is None
    assert "learning rate" in records[0].getMessage()


def test_a_generator_handler_mistake_is_one_line_too(records):
    @common.user_errors
    def handler():
        yield 1
        raise ValueError("Pick an image first.")

    with pytest.raises(gr.Error, match="Pick an image first"):
        list(handler())
    assert len(records) == 1 and records[0].exc_info is None


def test_an_unexpected_failure_keeps_its_traceback(records):
    @common.user_errors
    def handler():
        raise ZeroDivisionError("boom")

    with pytest.raises(gr.Error, match="Something went wrong inside CNN Lab \\(ZeroDivisionError\\)"):
        handler()
    assert len(records) == 1 and records[0].levelno == logging.ERROR and records[0].exc_info is not None


@pytest.mark.browser
def test_the_app_log_has_no_traceback_for_ordinary_mistakes(client, app_log):
    """Ordinary mistakes through the API (an unknown model, an impossible input size): answered with a
    sentence each, and the app's log gains one line per mistake and no traceback."""
    before = app_log.read_text()
    for args in [dict(model="resnet999", resolution=224), dict(model="resnet18", resolution=0)]:
        with pytest.raises(Exception) as err:
            client.predict(**args, api_name="/summarize")
        assert "Traceback" not in str(err.value)
    new = app_log.read_text()[len(before):]
    assert "Traceback" not in new, new[-3000:]
    assert new.count("user error") >= 2, new[-3000:]


@pytest.mark.parametrize("value", [None, "", "  ", "abc", float("nan"), float("inf"), True, [1]])
def test_a_number_box_that_is_empty_or_not_a_number_is_a_sentence(value):
    with pytest.raises(ValueError, match=r"^The learning rate (is empty|must be).*number"):
        common.number(value, "The learning rate", 0, 10)


def test_number_checks_range_and_wholeness():
    assert common.number("0.01", "The learning rate", 0, 10) == 0.01
    assert common.number(5.0, "Epochs", 1, 1000, whole=True) == 5 and isinstance(common.number(5.0, "Epochs", 1, 1000, whole=True), int)
    with pytest.raises(ValueError, match="Epochs must be a whole number from 1 to 1000, not 2.5"):
        common.number(2.5, "Epochs", 1, 1000, whole=True)
    with pytest.raises(ValueError, match="The seed must be a whole number of at least 0, not -1"):
        common.number(-1, "The seed", 0, None, whole=True)


# ------------------------------------------------------------------------------------------ per-request language


def test_the_request_language_is_the_browsers_first_choice():
    class Req:
        def __init__(self, header):
            self.headers = {"accept-language": header} if header is not None else {}

    assert common.request_language(Req("zh-CN,zh;q=0.9,en;q=0.8")) == common.ZH
    assert common.request_language(Req("zh")) == common.ZH
    assert common.request_language(Req("en-US,zh-CN;q=0.5")) == common.EN  # Chinese is not the first choice
    assert common.request_language(Req("zh-TW")) == common.EN  # Traditional: the app has no such text
    assert common.request_language(Req(None)) == common.EN
    assert common.request_language(None) == common.EN


def test_say_formats_the_entry_of_the_current_language():
    say = common.speaker({"n": "{n:,} layers", "cols": ["A"]}, {"n": "{n:,} 层"})
    assert say("n", n=1234) == "1,234 layers"
    with common.language(common.ZH):
        assert say("n", n=1234) == "1,234 层"
        assert say("cols") == ["A"]  # no Chinese: the English entry
    with pytest.raises(KeyError):
        say("typo")


def test_number_says_what_to_type_in_both_languages():
    with pytest.raises(ValueError, match=r"^The seed is empty: type a whole number from 0 to 9\.$"):
        common.number(None, "The seed", 0, 9, whole=True)
    with common.language(common.ZH), pytest.raises(ValueError, match=r"^随机种子为空：请输入整数（0 到 9）。$"):
        common.number("", "随机种子", 0, 9, whole=True)


def test_a_lab_sentence_is_translated_by_its_template(monkeypatch):
    monkeypatch.setitem(common.ERRORS_ZH, "An input of {side} px is too small for {model}: use at least {need} px.",
                        "{side} px 的输入对 {model} 太小：至少需要 {need} px。")
    common._error_patterns.cache_clear()
    try:
        english = "An input of 16 px is too small for resnet18: use at least 32 px."
        assert common.translate_error(english, common.ZH) == "16 px 的输入对 resnet18 太小：至少需要 32 px。"
        assert common.translate_error(english, common.EN) == english
        assert common.translate_error("A sentence with no template.", common.ZH) == "A sentence with no template."
    finally:
        monkeypatch.undo()
        common._error_patterns.cache_clear()


@pytest.fixture(scope="module")
def tiny_app():
    """A two-handler app on loopback: each handler says something in the request's language or fails."""
    say = common.speaker({"hello": "{n} layers", "what": "The count"}, {"hello": "{n} 层", "what": "数量"})

    @common.user_errors
    def count(n):
        return say("hello", n=common.number(n, say("what"), 1, 9, whole=True))

    @common.user_errors
    def stream(n):
        for k in range(2):
            yield say("hello", n=k)

    with gr.Blocks() as demo:
        box, out = gr.Number(), gr.Textbox()
        box.submit(count, box, out, api_name="count")
        box.change(stream, box, out, api_name="stream")
    demo.queue().launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    yield demo.local_url
    demo.close()


@pytest.mark.parametrize("header, hello, empty", [
    ("zh-CN,zh;q=0.9", "3 层", "数量为空：请输入整数（1 到 9）。"),
    ("en-US,en;q=0.9", "3 layers", "The count is empty: type a whole number from 1 to 9."),
])
def test_each_request_gets_its_browsers_language(tiny_app, header, hello, empty):
    from gradio_client import Client

    client = Client(tiny_app, headers={"Accept-Language": header}, verbose=False)
    assert client.predict(3, api_name="/count") == hello
    assert client.predict(1, api_name="/stream") == hello.replace("3", "1")  # a generator: every step
    with pytest.raises(Exception) as err:
        client.predict(None, api_name="/count")
    assert empty in str(err.value)
