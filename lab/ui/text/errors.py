"""lab's error sentences in Chinese. lab (no Gradio, no languages) raises ValueError with an English sentence
for every mistake a user can make; on its way to a zh-CN browser's toast, lab/ui/common.py
(:func:`~lab.ui.common.translate_error`) finds the English template here that the sentence fills in and
formats the Chinese with the same values.

Keys are the English templates exactly as lab formats them, ``{name}`` where lab puts a value (a format
spec such as ``{x:,}`` may stay: only the text between the fields is matched); the Chinese uses the same
names. tests/ui/test_zh_errors.py checks that every sentence written out in a ``ValueError(...)`` of a
module in ``CHECKED`` has an entry (sentences assembled elsewhere are held by the tabs' Chinese tests).
"""
from __future__ import annotations

# The lab modules whose every ValueError sentence has its Chinese here.
CHECKED: set[str] = {
    # The Architecture, Scaling and Layers tabs' modules:

    # ------------------------------------------------------------------
    # The Inside and Train tabs' modules:

}

ERRORS_ZH: dict[str, str] = {
    # ------------------------------------------------ Architecture, Scaling, Layers (lab.inspect, scaling, ...)

    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # ------------------------------------------------ Inside, Train (lab.cam, images, data, train, ...)

}
