"""How well a trained model does on held-out images: loss, accuracy, the confusion matrix, the worst mistakes.

:func:`evaluate` runs the validation set in evaluation mode (BatchNorm's running statistics, no dropout,
no augmentation: the centre crop of the notes for a recipe that trains on random crops) with the run's plan
and normalisation; :func:`summary` turns its predictions into the numbers the Train tab shows at the end of a
run.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from lab.augment import prepare_val_batch
from lab.data import DataSplits, ImageSet
from lab.speed import Plan, autocast


@dataclass
class EvalResult:
    """Validation loss, accuracy, and every prediction (for the confusion matrix)."""

    loss: float
    acc: float
    preds: torch.Tensor
    probs: torch.Tensor  # confidence of each prediction


def evaluate(
    model: nn.Module,
    data: ImageSet,
    size: int,
    mean: Sequence[float],
    std: Sequence[float],
    device: torch.device,
    plan: Plan,
    batch_size: int = 256,
    augmentation: str = "none",
) -> EvalResult:
    """Loss and accuracy of ``model`` on ``data`` (eval mode, normalised with ``mean``/``std``): the images of a
    run trained with ``augmentation`` as :func:`lab.augment.prepare_val_batch` prepares them."""
    model.eval()
    total, correct, loss_sum = 0, 0, 0.0
    preds, probs = [], []
    with torch.inference_mode(), autocast(plan):
        for i in range(0, len(data), batch_size):
            x = prepare_val_batch(data.images[i : i + batch_size].to(device, non_blocking=True), size, mean, std,
                                  augmentation, plan.torch_memory_format)
            y = data.labels[i : i + batch_size].to(device, non_blocking=True)
            logits = model(x).float()
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            p, pred = logits.softmax(1).max(1)
            correct += (pred == y).sum().item()
            total += len(y)
            preds.append(pred.cpu())
            probs.append(p.cpu())
    return EvalResult(loss_sum / max(total, 1), correct / max(total, 1), torch.cat(preds), torch.cat(probs))


def confusion_matrix(labels: torch.Tensor, preds: torch.Tensor, num_classes: int) -> torch.Tensor:
    """``C[i, j]`` = how many images of true class i were predicted as class j."""
    return torch.bincount(labels * num_classes + preds, minlength=num_classes**2).view(num_classes, num_classes)


def summary(splits: DataSplits, result: EvalResult, max_examples: int = 16) -> dict:
    """The done event's results: ``confusion`` (list of rows), ``per_class_acc``, and up to ``max_examples``
    ``misclassified`` validation images (HxWx3 uint8 arrays with true/pred names), most confident first."""
    k = len(splits.class_names)
    cm = confusion_matrix(splits.val.labels, result.preds, k)
    per_class = (cm.diag().float() / cm.sum(1).clamp_min(1).float()).tolist()
    wrong = torch.nonzero(result.preds != splits.val.labels).flatten()
    wrong = wrong[torch.argsort(result.probs[wrong], descending=True)][:max_examples]  # most confident first
    examples = []
    for i in wrong.tolist():
        img = splits.val.images[i]
        img = img.expand(3, -1, -1) if img.shape[0] == 1 else img
        examples.append(
            {
                "image": img.permute(1, 2, 0).cpu().numpy(),
                "true": splits.class_names[int(splits.val.labels[i])],
                "pred": splits.class_names[int(result.preds[i])],
                "confidence": float(result.probs[i]),
            }
        )
    return {"confusion": cm.tolist(), "per_class_acc": per_class, "misclassified": examples}
