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
