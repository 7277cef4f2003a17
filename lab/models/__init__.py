"""The course's networks, one file per family, in the order the course teaches them.

Importing this package imports every family file; each registers its variants with
``@register_model``, so :func:`list_models` is the course's table of contents.
"""
from lab.models import (  # noqa: F401  (imported for their registrations, in course order)
    lenet,
    alexnet,
    vgg,
    nin,
    googlenet,
    inception,
    resnet,
    densenet,
    mobilenet,
    efficientnet,
)
from lab.models.registry import (
    TIMM_PREFIX,
    ModelInfo,
    Paper,
    create_model,
    get_entry,
    list_models,
    model_info,
    register_model,
)

__all__ = [
    "TIMM_PREFIX",
    "ModelInfo",
    "Paper",
    "create_model",
    "get_entry",
    "list_models",
    "model_info",
    "register_model",
]
