"""The app's look: one theme and a little CSS, passed to ``launch()`` (Gradio 6)."""
import gradio as gr

THEME = gr.themes.Soft(primary_hue="indigo", secondary_hue="amber")

CSS = """
.lab-header h1 { margin-bottom: 0.1em; }
.lab-header p { margin: 0.2em 0; }
.course-path .course-step { padding: 0 0.15em; font-weight: 600; }
.explain { font-size: 0.92em; opacity: 0.85; }
"""
