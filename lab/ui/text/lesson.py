"""The lesson links' sentences (lab/ui/lesson.py): the Copy link button, the link box, the focused view's note.

The static strings go to the browser (gr.I18n); the note a link opens with is formatted by the handler in the
request's language (``say``), the notes on unusable values translated from lab.lesson's English by
lab/ui/text/errors.py.
"""
from __future__ import annotations

TEXT = {
    "copy": "Copy a link to this view",
    "link": "Link to this view",
    "link_info": "Copied to the clipboard where the browser allows it; otherwise copy it from here. It opens this "
    "tab with these settings (no account, no server-side state: it works after a restart too).",
    "show_all": "Show every control",
    # Formatted by the handler (the request's language).
    "focused": "**A focused lesson view**: some controls are hidden to keep the lesson on one idea; “Show every control” "
    "brings them back.",
    "notes": "⚠ Part of this link could not be used, so the tab's usual settings stand in:",
}

TEXT_ZH = {
    "copy": "复制指向此视图的链接",
    "link": "指向此视图的链接",
    "link_info": "浏览器允许时已复制到剪贴板；否则请从这里复制。它会用这些设置打开此标签页（无需账号，也不在服务器上保存状态：重启后依然有效）。",
    "show_all": "显示全部控件",
    "focused": "**聚焦的课堂视图**：隐藏了部分控件，让这节课专注于一个要点；点击“显示全部控件”即可恢复。",
    "notes": "⚠ 此链接中有部分内容无法使用，已改用该标签页的常用设置：",
}
