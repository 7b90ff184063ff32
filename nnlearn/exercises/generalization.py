"""Exercises about generalization: choosing the epoch to keep with early stopping."""

from __future__ import annotations

import numbers

from ..generalization import EarlyStopping
from . import exercise

# Validation loss of a network that starts to overfit after epoch 5 (a made-up but typical run).
VALIDATION_LOSSES = (0.69, 0.55, 0.46, 0.41, 0.39, 0.40, 0.38, 0.41, 0.45, 0.50, 0.56)
PATIENCE = 3


class _NoWeights:
    """Stands in for a model: EarlyStopping only takes and puts back its weights (here, none)."""

    def get_weights(self) -> list:
        return []

    def set_weights(self, weights: list) -> None:
        """Nothing to put back."""


def stopping_epochs(losses=VALIDATION_LOSSES, patience: int = PATIENCE) -> tuple[int, int]:
    """(epoch whose weights are kept, epoch after which training stops) for EarlyStopping on these losses."""
    stopper = EarlyStopping(_NoWeights(), patience=patience)
    stop = len(losses)
    for epoch, value in enumerate(losses, start=1):
        if stopper(epoch, {"val_loss": value}):
            stop = epoch
            break
    return stopper.best_epoch, stop


def _whole_number(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number such as 4, but got {value!r}")
    return int(value)


@exercise(
    "early_stopping_epoch",
    f"Early stopping with patience {PATIENCE} watches these validation losses, one per epoch (epochs count from 1): "
    f"{list(VALIDATION_LOSSES)}. Which epoch's weights does it keep (kept_epoch), and after which epoch does it "
    "stop training (stop_epoch)?",
    hint="Keep the epoch with the lowest validation loss seen so far; every epoch that does not beat it uses up one "
         f"unit of patience, and training stops when {PATIENCE} epochs in a row have not beaten it. Careful: epoch 6 "
         "is worse than epoch 5, but epoch 7 is better still.",
    solution=(
        "kept_epoch = 7, stop_epoch = 10\n"
        "The lowest loss is 0.38, at epoch 7 (epoch 5's 0.39 was the best for a while, but epoch 7 beat it, which "
        "resets the count). Epochs 8, 9 and 10 are all worse than 0.38: three in a row, so training stops after "
        "epoch 10 and the weights of epoch 7 are put back. nl.generalization.best_epoch(losses) gives 7 too."
    ),
    concept="generalization",
)
def early_stopping_epoch(kept_epoch, stop_epoch):
    kept = _whole_number(kept_epoch, "kept_epoch")
    stop = _whole_number(stop_epoch, "stop_epoch")
    right_kept, right_stop = stopping_epochs()
    if kept == right_kept and stop == right_stop:
        return True, (f"epoch {kept} has the lowest validation loss ({VALIDATION_LOSSES[kept - 1]}); epochs "
                      f"{kept + 1} to {stop} are all worse, so with patience {PATIENCE} training stops after epoch "
                      f"{stop} and epoch {kept}'s weights are kept.")
    if kept != right_kept:
        return False, (f"epoch {kept} is not the one with the lowest validation loss"
                       + (f" ({VALIDATION_LOSSES[kept - 1]})" if 1 <= kept <= len(VALIDATION_LOSSES) else "")
                       + ". Look for the smallest number in the whole list up to where training stops.")
    return False, (f"epoch {kept} is the right one to keep, but training does not stop after epoch {stop}: count "
                   f"{PATIENCE} epochs in a row without a new lowest loss.")
