"""The Gradio user interface: one module per tab, each exposing ``build()``.

Only this package imports gradio. Tab modules call ``lab`` functions for every number they show and
keep their user-facing strings in one ``TEXT`` dict at the top, so they are easy to translate.
"""
