"""A small MLP ε-model ε_θ(x_t, t) for low-dimensional toy data (1-D mixtures, 2-D rings).

The network sees sinusoidal features of x_t and of the integer step t (the Transformer
position encoding that Ho et al. 2020 also use for t) and predicts the noise ε that
produced x_t.  Why features of x_t too: at small t the optimal ε*(x_t, t) of a mixture
with narrow modes is a steep saw-tooth in x_t, and an MLP fed the raw coordinate learns
such high-frequency functions very slowly ("spectral bias", Rahaman et al. 2019); sin/cos
features of x fix that (Tancik et al. 2020); notebook 07 discusses it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from diffusion_lite.models.layers import sinusoidal_embedding


class MLPEps(nnx.Module):
    """ε_θ(x_t, t): three hidden SiLU layers on [x_t, emb(x_t), emb(t)].

    Args:
        data_dim: D, the dimension of one data point (1 for the 1-D mixture).
        hidden: width of the hidden layers.
        time_dim: width of the sinusoidal embedding of t (even).
        x_dim: width of the sinusoidal features of each coordinate of x_t (even), or 0 to
            feed only the raw x_t.
        x_scale: x_t is multiplied by this before its features are taken: the fastest
            feature has wavelength 2π / x_scale in units of x.
        rngs: ``nnx.Rngs`` for the initial weights.

    Call with ``x_t`` of shape [B, D] and ``t`` of shape [B]; returns ε̂ of shape [B, D].
    """

    def __init__(
        self,
        data_dim: int = 1,
        hidden: int = 64,
        time_dim: int = 32,
        x_dim: int = 32,
        x_scale: float = 16.0,
        *,
        rngs: nnx.Rngs,
    ):
        if data_dim < 1 or hidden < 1:
            raise ValueError(f"data_dim and hidden must be >= 1, got {data_dim}, {hidden}")
        for name, dim in (("time_dim", time_dim), ("x_dim", x_dim)):
            if dim < 0 or dim % 2 or (name == "time_dim" and dim == 0):
                raise ValueError(f"{name} must be an even integer >= 2 (x_dim may be 0), got {dim}")
        self.time_dim, self.x_dim, self.x_scale = time_dim, x_dim, x_scale
        self.linear_x = nnx.Linear(data_dim * (1 + x_dim), hidden, rngs=rngs)
        self.linear_t = nnx.Linear(time_dim, hidden, rngs=rngs)
        self.linear_mid1 = nnx.Linear(hidden, hidden, rngs=rngs)
        self.linear_mid2 = nnx.Linear(hidden, hidden, rngs=rngs)
        self.linear_out = nnx.Linear(hidden, data_dim, rngs=rngs)

    def __call__(self, x_t: jax.Array, t: jax.Array) -> jax.Array:
        if x_t.ndim != 2 or t.shape != x_t.shape[:1]:
            raise ValueError(f"x_t must be [B, D] and t [B], got {x_t.shape} and {t.shape}")
        B, D = x_t.shape
        features = [x_t]
        if self.x_dim:
            emb_x = sinusoidal_embedding(self.x_scale * x_t.reshape(-1), self.x_dim, 1000.0)
            features.append(emb_x.reshape(B, D * self.x_dim))
        h = self.linear_x(jnp.concatenate(features, axis=-1))  # [B, H]
        h = jax.nn.silu(h + self.linear_t(sinusoidal_embedding(t, self.time_dim)))
        h = jax.nn.silu(self.linear_mid1(h))
        h = jax.nn.silu(self.linear_mid2(h))
        return self.linear_out(h)  # [B, D]
