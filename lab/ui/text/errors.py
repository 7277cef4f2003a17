"""lab's error sentences in Chinese. lab (no Gradio, no languages) raises ValueError with an English sentence
for every mistake a user can make; on its way to a zh-CN browser's toast, lab/ui/common.py
(:func:`~lab.ui.common.translate_error`) finds the English template here that the sentence fills in and
formats the Chinese with the same values.

Keys are the English templates exactly as lab formats them, ``{name}`` where lab puts a value (a format
spec such as ``{x:,}`` is written ``{x}`` here: the value arrives already formatted); the Chinese uses the
same names. tests/ui/test_i18n.py checks that every ``ValueError`` sentence lab can raise has an entry.
"""
from __future__ import annotations

ERRORS_ZH: dict[str, str] = {
}
