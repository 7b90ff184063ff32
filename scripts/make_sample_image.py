"""Draw the sample scene behind `nnlearn.datasets.sample_image()` and write nnlearn/datasets/data/sample_image.npz.

Run once, by hand: `python scripts/make_sample_image.py`. NumPy only and seeded, so the picture is the same every
time. It is self-made and public domain. The scene is a house with a roof, windows and a door, a tree, a sun
with rays, hills and a lawn: edges in every direction and a few textures, which suits convolution demos.
The file holds one array, `house`, (128, 128) uint8.
"""

from pathlib import Path

import numpy as np

OUTPUT = Path(__file__).resolve().parents[1] / "nnlearn" / "datasets" / "data" / "sample_image.npz"
SIZE = 128
SUPERSAMPLE = 4  # draw on a 4x finer grid and average, so slanted and round edges come out smooth


def draw_house_scene(seed: int = 7) -> np.ndarray:
    """The scene as float64 in [0, 1], shape (SIZE, SIZE)."""
    rng = np.random.default_rng(seed)
    fine = SIZE * SUPERSAMPLE
    # pixel-centre coordinates of the fine grid, in units of final pixels
    row, col = (np.mgrid[0:fine, 0:fine] + 0.5) / SUPERSAMPLE
    image = np.empty((fine, fine))

    # sky: darker at the top, lighter towards the horizon
    image[:] = 0.55 + 0.3 * row / SIZE

    # sun with eight rays
    sun_row, sun_col = 20.0, 104.0
    distance = np.hypot(row - sun_row, col - sun_col)
    angle = np.arctan2(row - sun_row, col - sun_col)
    ray = (np.cos(8 * angle) > 0.9) & (distance > 11) & (distance < 17)
    image[(distance < 9) | ray] = 0.98

    # hills and a lawn with vertical grass streaks
    horizon = 82 + 5 * np.sin(col / 14.0) + 3 * np.sin(col / 5.0 + 1.0)
    ground = row > horizon
    streaks = rng.normal(0.0, 1.0, size=(fine // 8, fine))
    streaks = np.repeat(streaks, 8, axis=0)
    image[ground] = 0.38 + 0.06 * streaks[ground]
    far_hill = (row > 70 + 8 * np.cos((col - 40) / 22.0)) & ~ground
    image[far_hill] = 0.62

    # house walls with brick courses (a horizontal mortar line every 4 pixels, joints offset every other course)
    walls = (col >= 18) & (col < 70) & (row >= 62) & (row < 102)
    course = np.floor((row - 62) / 4)
    mortar = ((row - 62) % 4 < 0.6) | (((col - 18 + 4 * (course % 2)) % 8) < 0.6)
    image[walls] = 0.78
    image[walls & mortar] = 0.6

    # roof: a triangle above the walls
    apex_row, apex_col, eave_row = 36.0, 44.0, 62.0
    half_width = 30.0 * (row - apex_row) / (eave_row - apex_row)
    roof = (row >= apex_row) & (row < eave_row) & (np.abs(col - apex_col) <= half_width)
    image[roof] = 0.18
    # chimney on the right slope
    chimney = (col >= 56) & (col < 62) & (row >= 38) & (row < 52) & ~roof
    image[chimney] = 0.3

    # two windows with a light frame and a cross of glazing bars, and a door with a knob
    for left in (24.0, 52.0):
        frame = (col >= left) & (col < left + 12) & (row >= 68) & (row < 80)
        glass = (col >= left + 1.5) & (col < left + 10.5) & (row >= 69.5) & (row < 78.5)
        bars = (np.abs(col - (left + 6)) < 0.7) | (np.abs(row - 74) < 0.7)
        image[frame] = 0.95
        image[glass] = 0.12
        image[glass & bars] = 0.95
    door = (col >= 38) & (col < 50) & (row >= 82) & (row < 102)
    image[door] = 0.28
    image[np.hypot(row - 92, col - 47) < 1.2] = 0.9

    # tree: trunk and a round, leafy crown
    trunk = (col >= 92) & (col < 98) & (row >= 70) & (row < 106)
    image[trunk] = 0.25
    crown = np.hypot(row - 60, col - 95) < 16 + 1.5 * np.sin(7 * np.arctan2(row - 60, col - 95))
    leaves = rng.normal(0.0, 1.0, size=(fine // 8, fine // 8))
    leaves = np.repeat(np.repeat(leaves, 8, axis=0), 8, axis=1)
    image[crown] = 0.42 + 0.07 * leaves[crown]

    # average each SUPERSAMPLE x SUPERSAMPLE block, then a little sensor-like noise
    image = image.reshape(SIZE, SUPERSAMPLE, SIZE, SUPERSAMPLE).mean(axis=(1, 3))
    image += rng.normal(0.0, 0.01, size=image.shape)
    return np.clip(image, 0.0, 1.0)


def main() -> None:
    image = draw_house_scene()
    np.savez_compressed(OUTPUT, house=np.round(image * 255).astype(np.uint8))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
