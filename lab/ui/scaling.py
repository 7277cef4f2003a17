"""The Scaling tab (not built yet)."""
import gradio as gr

TEXT = {
    "title": "Scaling",
    "coming": "Coming soon: Move EfficientNet's width, depth and resolution sliders (or MobileNet's α and ρ) and watch the network's cost change against B0–B7.",
}


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(TEXT["coming"])
