"""Synthetic movie ratings with a hidden structure (genres and tastes) that learned embeddings can recover."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_count, check_noise, check_open_fraction

GENRE_NAMES = ("Space Saga", "Romcom", "Horror", "Documentary", "Western", "Cartoon", "Musical", "Thriller")


@dataclass(frozen=True)
class Ratings:
    """Observed ratings as (user, item, rating) triples, plus the hidden truth that produced them.

    Shapes: user_ids, item_ids, ratings (m,); item_genres (n_items,); user_tastes (n_users, n_factors).

    Example:
        >>> data = ratings(n_users=3, n_items=2, density=1.0, seed=0)    # every user rates every item
        >>> data.n_users, data.n_items, data.ratings.shape, data.user_tastes.shape
        (3, 2, (6,), (3, 2))
        >>> data.to_matrix().shape, bool(np.isnan(data.to_matrix()).any())
        ((3, 2), False)
    """

    user_ids: np.ndarray      # (m,) int64, who rated
    item_ids: np.ndarray      # (m,) int64, what they rated
    ratings: np.ndarray       # (m,) float64 in [1, 5]
    item_names: tuple[str, ...]   # e.g. "Space Saga 2", index = item id
    genre_names: tuple[str, ...]  # index = genre id
    item_genres: np.ndarray   # (n_items,) int64, hidden: the genre of each item
    user_tastes: np.ndarray   # (n_users, n_factors) float64 in [-1, 1], hidden: how much each user likes each genre

    @property
    def n_users(self) -> int:
        """How many users (rows of the ratings matrix)."""
        return len(self.user_tastes)

    @property
    def n_items(self) -> int:
        """How many items (columns of the ratings matrix)."""
        return len(self.item_genres)

    def to_matrix(self) -> np.ndarray:
        """The ratings as a (n_users, n_items) table with NaN where a user did not rate an item.

        Shapes: returns (n_users, n_items) float64.
        """
        table = np.full((self.n_users, self.n_items), np.nan)
        table[self.user_ids, self.item_ids] = self.ratings
        return table


def ratings(n_users: int = 40, n_items: int = 30, n_factors: int = 2, density: float = 0.5,
            noise: float = 0.3, seed: int | None = None) -> Ratings:
    """Ratings from 1 to 5 that users give to items, driven by each user's taste for each item's genre.

    Shapes: user_ids, item_ids, ratings (m,) with m = round(density * n_users * n_items); item_genres
    (n_items,); user_tastes (n_users, n_factors).

    There are `n_factors` genres. Items are spread evenly over them, each user has a taste in [-1, 1] per genre,
    and rating = 3 + 2 * taste(user, genre of item) + Gaussian noise, clipped to [1, 5]. A random `density`
    fraction of all (user, item) pairs is observed, listed in user order.

    Example:
    >>> data = ratings(n_users=5, n_items=4, density=0.5, seed=0)
    >>> data.user_ids.shape, data.item_names, data.to_matrix().shape
    ((10,), ('Space Saga 1', 'Space Saga 2', 'Romcom 1', 'Romcom 2'), (5, 4))
    """
    n_users = check_count(n_users, "n_users", "ratings()")
    n_items = check_count(n_items, "n_items", "ratings()")
    n_factors = check_count(n_factors, "n_factors (the number of hidden genres)", "ratings()")
    if n_factors > n_items:
        raise ValueError(f"ratings(): n_factors (the number of genres) must be at most n_items = {n_items} so "
                         f"every genre has an item, but got {n_factors}.")
    density = check_open_fraction(density, "density (the fraction of pairs rated)", "ratings()",
                                  include_high=True)
    noise = check_noise(noise, "ratings()")
    rng = np.random.default_rng(seed)

    item_genres = rng.permutation(np.arange(n_items) % n_factors).astype(np.int64)
    user_tastes = rng.uniform(-1.0, 1.0, size=(n_users, n_factors))
    genre_names = tuple(GENRE_NAMES[genre] if genre < len(GENRE_NAMES) else f"Genre {genre + 1}"
                        for genre in range(n_factors))
    item_names = []
    seen = np.zeros(n_factors, dtype=int)
    for genre in item_genres:
        seen[genre] += 1
        item_names.append(f"{genre_names[genre]} {seen[genre]}")

    n_ratings = max(1, int(round(density * n_users * n_items)))
    pairs = np.sort(rng.choice(n_users * n_items, size=n_ratings, replace=False))
    user_ids, item_ids = pairs // n_items, pairs % n_items
    clean = 3.0 + 2.0 * user_tastes[user_ids, item_genres[item_ids]]
    scores = np.clip(clean + rng.normal(0.0, noise, size=n_ratings), 1.0, 5.0)
    return Ratings(user_ids=user_ids.astype(np.int64), item_ids=item_ids.astype(np.int64), ratings=scores,
                   item_names=tuple(item_names), genre_names=genre_names, item_genres=item_genres,
                   user_tastes=user_tastes)
