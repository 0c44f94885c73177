"""The MLP ε-model: embedding formula, shapes, determinism, jit, and that it depends on x and t."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.models.mlp import MLPEps, sinusoidal_embedding


def test_sinusoidal_embedding_matches_the_formula():
    v = jnp.array([0.0, 1.0, 7.0, 250.0])
    emb = sinusoidal_embedding(v, 8, max_period=100.0)
    freqs = 100.0 ** (-np.arange(4) / 3)  # ω_k = max_period^(-k/(h-1))
    want = np.concatenate([np.sin(np.outer(v, freqs)), np.cos(np.outer(v, freqs))], axis=1)
    assert emb.shape == (4, 8) and emb.dtype == jnp.float32
    np.testing.assert_allclose(emb, want, atol=2e-5)
    for bad in (0, 3):
        with pytest.raises(ValueError, match="dim"):
            sinusoidal_embedding(v, bad)


@pytest.mark.parametrize("data_dim", [1, 2])
def test_mlp_shapes_determinism_and_jit(data_dim):
    model = MLPEps(data_dim, hidden=16, rngs=nnx.Rngs(0))
    x = jax.random.normal(jax.random.key(1), (5, data_dim))
    t = jnp.array([1, 2, 3, 50, 200])
    out = model(x, t)
    assert out.shape == (5, data_dim)
    np.testing.assert_array_equal(out, MLPEps(data_dim, hidden=16, rngs=nnx.Rngs(0))(x, t))
    np.testing.assert_allclose(nnx.jit(lambda m, x, t: m(x, t))(model, x, t), out, atol=1e-6)
    # one example's output does not depend on the others in the batch
    np.testing.assert_allclose(model(x[:1], t[:1]), out[:1], atol=1e-6)


def test_mlp_depends_on_x_and_t_and_rejects_bad_shapes():
    model = MLPEps(1, hidden=16, rngs=nnx.Rngs(0))
    x = jnp.zeros((3, 1))
    t = jnp.array([1, 2, 3])
    assert not np.allclose(model(x, t), model(x + 0.5, t))
    assert not np.allclose(model(x, t), model(x, t + 100))
    with pytest.raises(ValueError, match="x_t"):
        model(jnp.zeros(3), t)
    with pytest.raises(ValueError, match="x_dim"):
        MLPEps(1, x_dim=3, rngs=nnx.Rngs(0))


def test_raw_input_variant_has_fewer_parameters():
    def n_params(m):
        return sum(p.size for p in jax.tree.leaves(nnx.state(m, nnx.Param)))

    with_features = MLPEps(1, hidden=16, x_dim=32, rngs=nnx.Rngs(0))
    raw = MLPEps(1, hidden=16, x_dim=0, rngs=nnx.Rngs(0))
    assert n_params(with_features) - n_params(raw) == 32 * 16
    assert raw(jnp.zeros((2, 1)), jnp.array([1, 2])).shape == (2, 1)
