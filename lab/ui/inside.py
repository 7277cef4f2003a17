"""The Inside tab (not built yet)."""
import gradio as gr

TEXT = {
    "title": "Inside",
    "coming": "Coming soon: Feed an image to a network and see its feature maps, its first-layer filters and Grad-CAM heat maps of where the evidence for a class lies.",
}


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(TEXT["coming"])
