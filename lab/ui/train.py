"""The Train tab (not built yet)."""
import gradio as gr

TEXT = {
    "title": "Train",
    "coming": "Coming soon: Fine-tune a network on the built-in Shapes data, your own images or a torchvision set, with live loss and accuracy curves.",
}


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(TEXT["coming"])
