"""Embedding and fit_embeddings: lookups, gradients scattered to the used rows, clear id errors, saving, PyTorch,
and learning user and item vectors that recover the hidden genres of the ratings."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.embedding import Embedding, fit_embeddings, predict_ratings


def test_hand_worked_lookup_and_scattered_gradient():
    table = Embedding(4, 2)
    table.weights[:] = [[0.0, 0.0], [1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    ids = np.array([[2, 1], [2, 2]])
    np.testing.assert_array_equal(table.forward(ids), [[[3, 4], [1, 2]], [[3, 4], [3, 4]]])
    grad_in = table.backward(np.array([[[1.0, 10.0], [2.0, 20.0]], [[3.0, 30.0], [4.0, 40.0]]]))
    # row 2 was read three times: 1 + 3 + 4 = 8 and 10 + 30 + 40 = 80; row 1 once; rows 0 and 3 never
    np.testing.assert_array_equal(table.grad_weights, [[0, 0], [2, 20], [8, 80], [0, 0]])
    # ids have no gradient: zeros of the ids' shape, so a network can send it on to nothing
    np.testing.assert_array_equal(grad_in, np.zeros((2, 2)))


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
def test_any_id_shape_gets_vectors(shape, rng):
    table = Embedding(6, 3, seed=0)
    ids = rng.integers(0, 6, size=shape)
    out = table.forward(ids)
    assert out.shape == shape + (3,)
    np.testing.assert_array_equal(out, table.weights[ids])
    assert table.output_shape(shape[1:]) == shape[1:] + (3,)


def test_whole_float_ids_work_like_ints():
    table = Embedding(5, 2, seed=1)
    np.testing.assert_array_equal(table.forward(np.array([4.0, 0.0])), table.forward(np.array([4, 0])))


def test_gradient_is_the_one_hot_matrix_product(rng):
    # A lookup is one_hot(ids) @ weights, so dL/dweights = one_hot(ids)^T @ dL/dout.
    table = Embedding(5, 3, seed=2)
    ids = rng.integers(0, 5, size=12)
    upstream = rng.normal(size=(12, 3))
    table.forward(ids)
    table.backward(upstream)
    np.testing.assert_allclose(table.grad_weights, np.eye(5)[ids].T @ upstream, atol=1e-14)


def test_network_gradient_check(rng):
    ids = rng.integers(0, 7, size=(6, 4))
    labels = rng.integers(0, 3, size=6)
    model = nl.Sequential([Embedding(7, 3), nl.Flatten(), nl.Dense(12, 3, "softmax")], seed=0)
    assert nl.gradient_check(model, ids, labels, "cross_entropy") < 1e-6
    # the whole backward pass runs through the Embedding and gives zeros for the ids
    np.testing.assert_array_equal(model.backward(np.ones((6, 3))), np.zeros((6, 4)))


def test_agrees_with_pytorch(rng):
    torch = pytest.importorskip("torch")
    table = Embedding(6, 4, seed=0)
    ids = rng.integers(0, 6, size=(3, 5))
    upstream = rng.normal(size=(3, 5, 4))
    out = table.forward(ids)
    table.backward(upstream)
    reference = torch.nn.Embedding(6, 4).double()
    with torch.no_grad():
        reference.weight.copy_(torch.tensor(table.weights))
    ref_out = reference(torch.tensor(ids))
    (ref_out * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(out, ref_out.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(table.grad_weights, reference.weight.grad.numpy(), rtol=0, atol=1e-12)


def test_clear_id_errors():
    model = nl.Sequential([Embedding(30, 2), nl.Flatten(), nl.Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match=r"^Embedding layer 1 \(30 items, 2 dims\) got item id 31, but ids must "
                                         r"be in 0\.\.29\."):
        model.predict(np.array([[31]]))
    with pytest.raises(ValueError, match=r"got item id -2, but ids must be in 0\.\.29"):
        model.predict(np.array([[-2]]))
    with pytest.raises(ValueError, match=r"got item id 2\.5, but ids must be whole numbers in 0\.\.29"):
        model.predict(np.array([[2.5]]))
    with pytest.raises(ValueError, match=r"For one id use np.array\(\[3\]\)"):
        Embedding(5, 2).forward(np.int64(3))
    with pytest.raises(TypeError, match="whole-number item ids"):
        Embedding(5, 2).forward(np.array(["a"]))
    with pytest.raises(RuntimeError, match="call forward"):
        Embedding(5, 2).backward(np.zeros((1, 2)))


def test_save_load_and_summary(tmp_path, rng):
    model = nl.Sequential([Embedding(9, 2), nl.Flatten(), nl.Dense(6, 2, "softmax")], seed=3)
    ids = rng.integers(0, 9, size=(4, 3))
    loaded = nl.Sequential.load(model.save(tmp_path / "emb.npz"))
    np.testing.assert_array_equal(loaded.predict(ids), model.predict(ids))
    text = model.summary(input_shape=(3,))
    assert "(batch, 3, 2)" in text and "(batch, 6)" in text and "Total parameters: 32" in text  # 18 + 14
    assert model.layers[0].describe() == "Embedding layer 1 (9 items, 2 dims)"


def test_seeded_initialisation():
    np.testing.assert_array_equal(Embedding(4, 3, seed=1).weights, Embedding(4, 3, seed=1).weights)
    assert not np.array_equal(Embedding(4, 3, seed=1).weights, Embedding(4, 3, seed=2).weights)


def nearest_centroid_accuracy(vectors, labels):
    centroids = np.stack([vectors[labels == k].mean(axis=0) for k in np.unique(labels)])
    nearest = np.argmin(((vectors[:, None] - centroids[None]) ** 2).sum(axis=2), axis=1)
    return float(np.mean(nearest == labels))


def test_fit_embeddings_recovers_hidden_genres():
    data = nl.datasets.ratings(seed=0)
    users, items, history = fit_embeddings(data, n_dims=2, epochs=300, lr=0.05, seed=0, validation_fraction=0.2)
    assert users.weights.shape == (40, 2) and items.weights.shape == (30, 2)
    assert len(history.loss) == len(history.rmse) == len(history.val_rmse) == 300
    # ratings carry noise of 0.3 stars; guessing the mean for every pair costs about 1.2
    assert history.rmse[-1] < 0.25  # measured 0.19
    assert history.val_rmse[-1] < 0.4  # measured 0.33 on ratings never trained on
    assert nearest_centroid_accuracy(items.weights, data.item_genres) == 1.0
    # the two genres' centroids are far apart compared with the spread inside each genre
    a, b = (items.weights[data.item_genres == k] for k in (0, 1))
    assert np.linalg.norm(a.mean(0) - b.mean(0)) > 3 * max(a.std(0).max(), b.std(0).max())


def test_fit_embeddings_more_genres_than_two():
    data = nl.datasets.ratings(n_users=40, n_items=40, n_factors=4, seed=0)
    _, items, history = fit_embeddings(data, n_dims=4, epochs=300, seed=0)
    assert history.rmse[-1] < 0.3
    assert nearest_centroid_accuracy(items.weights, data.item_genres) == 1.0


def test_predict_ratings_matches_the_training_loss():
    data = nl.datasets.ratings(n_users=10, n_items=8, seed=2)
    users, items, history = fit_embeddings(data, epochs=50, seed=1)
    predicted = predict_ratings(users, items, history, data.user_ids, data.item_ids)
    table = predict_ratings(users, items, history)
    assert table.shape == (10, 8)
    np.testing.assert_allclose(table[data.user_ids, data.item_ids], predicted)
    # history.loss is measured before each step, so after the last step the error is a little lower
    assert np.mean((predicted - data.ratings) ** 2) <= history.loss[-1]
    # by hand for one pair: mean + user bias + item bias + dot product
    u, i = data.user_ids[0], data.item_ids[0]
    expected = (history.global_mean + history.user_bias[u] + history.item_bias[i]
                + users.weights[u] @ items.weights[i])
    assert predicted[0] == pytest.approx(expected)


def test_fit_embeddings_is_seeded_and_takes_a_tuple():
    data = nl.datasets.ratings(n_users=8, n_items=6, seed=0)
    first = fit_embeddings(data, epochs=20, seed=4)
    again = fit_embeddings((data.user_ids, data.item_ids, data.ratings), epochs=20, seed=4)
    np.testing.assert_array_equal(first[1].weights, again[1].weights)
    assert first[2].rmse == again[2].rmse


def test_fit_embeddings_errors():
    data = nl.datasets.ratings(n_users=5, n_items=4, seed=0)
    with pytest.raises(TypeError, match=r"fit_embeddings expects the ratings as nl.datasets.ratings"):
        fit_embeddings(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="leaves some ratings on both sides"):
        fit_embeddings(data, validation_fraction=0.01)
    with pytest.raises(ValueError, match="one entry per rating"):
        fit_embeddings((np.array([0, 1]), np.array([0]), np.array([3.0, 4.0])))


def test_fit_embeddings_stops_a_diverging_run_like_fit():
    data = nl.datasets.ratings(seed=0)
    _, _, calm = fit_embeddings(data, epochs=30, seed=0)
    assert not calm.stopped_early and len(calm) == 30
    with pytest.warns(nl.DivergenceWarning, match="Training diverged: the loss jumped"):
        users, items, history = fit_embeddings(data, epochs=50, lr=50.0, seed=0)  # far too large a step
    assert history.stopped_early and len(history) < 50
    # The rule is fit's: stopped at the first epoch whose loss tops 3 times always guessing the mean rating.
    guess = float(np.var(np.asarray(data.ratings, dtype=float)))
    assert all(loss <= 3 * guess for loss in history.loss)
    assert np.isfinite(users.weights).all() and np.isfinite(items.weights).all()
