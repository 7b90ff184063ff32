"""Write nnlearn/datasets/data/digits.npz from the copy of the UCI digits that scikit-learn ships.

Run once, by hand: `python scripts/make_digits_npz.py`. scikit-learn is needed only here, never at run time.
The file holds `images` (1797, 8, 8) uint8 with values 0..16 and `labels` (1797,) uint8 with values 0..9,
in scikit-learn's order, compressed.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUTPUT = Path(__file__).resolve().parents[1] / "nnlearn" / "datasets" / "data" / "digits.npz"


def main() -> None:
    bunch = load_digits()
    images = bunch.images
    labels = bunch.target
    # the source values are whole ink counts 0..16 stored as floats: check before narrowing to uint8
    if not (np.array_equal(images, np.round(images)) and images.min() >= 0 and images.max() <= 16):
        raise ValueError("expected whole pixel values in 0..16 from load_digits()")
    if images.shape != (1797, 8, 8) or labels.shape != (1797,):
        raise ValueError(f"unexpected shapes {images.shape} and {labels.shape} from load_digits()")
    np.savez_compressed(OUTPUT, images=images.astype(np.uint8), labels=labels.astype(np.uint8))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1024:.1f} KB), label counts {np.bincount(labels).tolist()}")


if __name__ == "__main__":
    main()
