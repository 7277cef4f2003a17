"""CNN Lab: a Gradio web lab about the classic convolutional networks.

Run ``python app.py`` (or the README's command) and open http://127.0.0.1:7860. The port and address
follow GRADIO_SERVER_PORT / GRADIO_SERVER_NAME. Each tab is built by its own module in ``lab/ui``. The static
text is English, or Simplified Chinese in a browser whose locale is zh-CN (lab/ui/common.py, build_i18n).
"""
try:  # ZeroGPU Spaces: `spaces` must be imported before anything touches CUDA.
    import spaces  # noqa: F401
except ImportError:
    pass

import os

import gradio as gr

from lab.models import preload
from lab.ui import ab, architecture, code, common, inside, layers, lesson, preload_status, scaling, serving, train
from lab.ui.theme import CSS, THEME

TABS = [architecture, inside, ab, scaling, train, layers]
TEXT_MODULES = [*TABS, lesson]  # every module whose TEXT the browser translates (build_i18n)
# Waiting requests: a class of 30, each with a few chained events, fits with room to spare; past it a student is
# told the class is busy (serving.busy_js). CNNLAB_MAX_QUEUE changes it (the test of that sentence uses 1).
MAX_QUEUE = int(os.environ.get("CNNLAB_MAX_QUEUE", "128"))


def build_app() -> gr.Blocks:
    """The whole app: header, then one tab per module. Builds no model (start-up stays fast)."""
    with common.Blocks(title="CNN Lab", delete_cache=(3600, 3600)) as demo:
        common.header()
        preload_status.build(demo)  # "Preparing pretrained weights: 3 of 8 ready…" while the start-up fetch runs
        lesson.bar()  # a lesson link's note, "Show every control", "Copy link"
        items = {}
        with gr.Tabs() as tabs:
            for tab in TABS:
                name = tab.__name__.rsplit(".", 1)[-1]
                with gr.Tab(common.tab_title(tab), id=name) as items[name]:
                    tab.build()
        lesson.wire(tabs, items)  # the link's tab selected, its settings set before each tab's first result
        code.register()  # /code: the Python behind any view (each tab shows its own under "Show me the code")
    # Cheap events run many at a time. Heavy ones have queues of their own, so none waits behind another
    # kind: training runs one at a time ("train"), the Inside tab's maps as many as there are cores
    # ("inside"). The queue is bounded: past MAX_QUEUE waiting requests a student is told to retry.
    demo.queue(default_concurrency_limit=8, max_size=MAX_QUEUE)
    serving.name_tools(demo)  # the MCP tools (launch's mcp_server) take their endpoints' names
    return demo


preload.start_if_enabled()  # on a Space: torchvision's weights into the hub cache, in the background
demo = build_app()

if __name__ == "__main__":
    demo.launch(theme=THEME, css=CSS, max_file_size="20mb", footer_links=["api", "settings"],
                i18n=common.build_i18n(TEXT_MODULES), js=serving.busy_js(),
                mcp_server=serving.mcp_server())
