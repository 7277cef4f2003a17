"""The Layers tab (not built yet)."""
import gradio as gr

TEXT = {
    "title": "Layers",
    "coming": "Coming soon: Play with a single convolution, pooling or normalisation layer and see the output-size formula and the arithmetic behind it.",
}


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(TEXT["coming"])
