"""CNN Lab: the classic convolutional networks, built to be read next to their papers.

``lab`` knows nothing of Gradio: every number the UI shows comes from a function here that a test or
a notebook can call. The UI lives in ``lab.ui``.
"""
