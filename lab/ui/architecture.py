"""The Architecture tab (not built yet)."""
import gradio as gr

TEXT = {
    "title": "Architecture",
    "coming": "Coming soon: Pick a network and see every layer's output shape, parameters, multiply-accumulates and receptive field, with charts of how the feature pyramid shrinks in space and grows in channels.",
}


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(TEXT["coming"])
