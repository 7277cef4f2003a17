"""The tabs' sentences: one module per tab with its English ``TEXT`` and Chinese ``TEXT_ZH`` (same keys).

The tab module imports both names (``from lab.ui.text.inside import TEXT, TEXT_ZH``), so its layout comes
first and :func:`lab.ui.common.build_i18n` still finds them on the tab module.
"""
