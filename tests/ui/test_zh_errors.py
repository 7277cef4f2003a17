"""Every error sentence lab writes out in a ``ValueError(...)`` has its Chinese in lab/ui/text/errors.py
(for the modules listed in CHECKED), and the Chinese keeps the English template's fields."""
from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from lab.ui import common
from lab.ui.text.errors import CHECKED, ERRORS_ZH

FIELD = re.compile(r"\{[^{}]*\}")


def _template(node: ast.AST) -> str | None:
    """An f-string or string literal as a template with ``{}`` for each value; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        return "".join(p.value.replace("{", "{{").replace("}", "}}") if isinstance(p, ast.Constant) else "{}"
                       for p in node.values)
    return None


def _skeleton(template: str) -> str:
    """The literal text of a template, every field as one marker (names and format specs don't matter)."""
    literal = template.replace("{{", "\x01").replace("}}", "\x02")
    return FIELD.sub("\x00", literal).replace("\x01", "{").replace("\x02", "}")


def sentences(module: str) -> list[str]:
    """The templates of the ValueError sentences written out in ``module``'s source."""
    tree = ast.parse(Path(importlib.import_module(module).__file__).read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ValueError" and node.args:
            t = _template(node.args[0])
            if t is not None and len(t.split()) > 2:
                found.append(t)
    return found


def test_the_checked_modules_exist():
    for module in CHECKED:
        importlib.import_module(module)


@pytest.mark.parametrize("module", sorted(CHECKED))
def test_every_sentence_a_checked_module_raises_has_chinese(module):
    known = {_skeleton(en) for en in ERRORS_ZH}
    missing = [t for t in sentences(module) if _skeleton(t) not in known]
    assert missing == []


def test_the_chinese_has_the_englishs_fields_and_is_chinese():
    for en, zh in ERRORS_ZH.items():
        names = lambda s: sorted(re.findall(r"\{(\w+)", s))  # noqa: E731
        assert names(zh) == sorted(set(names(en))) or set(names(zh)) <= set(names(en)), en
        assert re.search(r"[\u4e00-\u9fff]", zh), en


def test_every_template_is_reached_by_its_own_sentence():
    """Each English template, filled with sample values, comes back as its own Chinese (no template shadows
    another)."""
    for en, zh in ERRORS_ZH.items():
        fields = {name: f"<{name}>" for name in re.findall(r"\{(\w+)", en)}
        english = re.sub(r"\{(\w+)[^}]*\}", lambda m: fields[m.group(1)], en)
        assert common.translate_error(english, common.ZH) == zh.format(**fields), en
