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
/* Text in tables wraps between words, not inside one ("features.0", "Stride", "29,401,088"). Gradio's
   Dataframe sizes its columns from a hidden row of each column's longest cell, which never wraps (nowrap):
   long cells made wide columns and squeezed the rest, whose cells break anywhere (word-break: break-word),
   so "Stride" printed as "Strid" / "e". That row now wraps between words, so the browser's table layout gives
   every column at least the longest word it measures and shares out the rest (a table with more words than
   fit the screen scrolls); a cell breaks a word only if it is longer than its column. Every Dataframe here
   has wrap=True. */
.table-wrap .sizing-body .cell-wrap { white-space: normal; }
.table-wrap span.text { word-break: normal; overflow-wrap: break-word; }
.prose td, .prose th, .prose td code { word-break: normal; overflow-wrap: normal; }
/* A Markdown table wider than its column (the Layers tab's comparison on a narrow screen) scrolls inside it
   instead of running off the page. */
.prose table { display: block; max-width: 100%; overflow-x: auto; border: 0; padding: 0; }
"""
