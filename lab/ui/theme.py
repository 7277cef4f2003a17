"""The app's look: one theme and a little CSS, passed to ``launch()`` (Gradio 6).

Help text must stay readable on a classroom projector, which washes out light greys: the Soft theme's
subdued text (neutral-400 on white, contrast 2.5:1) is darkened to neutral-600 (7.6:1), above WCAG AA's 4.5:1
(tests/ui/test_layout.py measures it in the browser).
"""
import gradio as gr

THEME = gr.themes.Soft(primary_hue="indigo", secondary_hue="amber").set(
    body_text_color_subdued="*neutral_600",
    body_text_color_subdued_dark="*neutral_300",
    block_info_text_color="*neutral_600",
    block_info_text_color_dark="*neutral_300",
)

CSS = """
.lab-header h1 { margin-bottom: 0.1em; }
.lab-header p { margin: 0.2em 0; }
.course-path .course-step { padding: 0 0.15em; font-weight: 600; }
.explain { font-size: 0.92em; }
/* Numbers and code names never break mid-word ("features.0", "29,401,088"); a table scrolls instead. */
td, th { overflow-wrap: normal; word-break: keep-all; }
.prose code, td code { white-space: nowrap; }
"""
