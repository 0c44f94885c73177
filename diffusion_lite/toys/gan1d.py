"""A tiny 1-D GAN (Flax NNX + optax) that collapses onto few modes of a Gaussian mixture.

The generator G maps z ~ N(0, I) to a point x ∈ R; the discriminator D maps x to a logit.
``train_step`` is the whole algorithm (one D step, one G step); ``train_gan`` runs it under
``jax.lax.scan`` so that ``jax.vmap`` can train many seeds at once.  Instance noise
(notebook 02) adds σ_step · n to the real *and* the generated points before D sees them,
with σ annealed to 0 (Sønderby et al. 2017; Arjovsky & Bottou 2017).
"""

from __future__ import annotations

import enum
import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax
from flax import nnx

from diffusion_lite.toys.metrics1d import ModeCoverage, mode_coverage
from diffusion_lite.toys.mixtures import GaussianMixture, mixture_sample


class Noise(enum.Enum):
    """Distribution of the instance noise n (scaled by σ before it is added)."""

    GAUSSIAN = "gaussian"  # n ~ N(0, 1): full support, light tails
    CAUCHY = "cauchy"  # n ~ Cauchy(0, 1) = Student-t with 1 d.o.f.: heavy tails


class GanConfig(NamedTuple):
    """Architecture and optimiser of one run (hashable: a static argument of ``train_gan``)."""

    batch_size: int = 128
    hidden: int = 32
    z_dim: int = 4
    lr: float = 3e-3
    noise: Noise = Noise.GAUSSIAN  # kind of instance noise; its scale comes from ``sigmas``


class Generator(nnx.Module):
    """G_θ: z [B, z_dim] → x [B]; a 2-hidden-layer ReLU MLP."""

    def __init__(self, z_dim: int, hidden: int, *, rngs: nnx.Rngs):
        self.l1 = nnx.Linear(z_dim, hidden, rngs=rngs)
        self.l2 = nnx.Linear(hidden, hidden, rngs=rngs)
        self.out = nnx.Linear(hidden, 1, rngs=rngs)

    def __call__(self, z):
        return self.out(nnx.relu(self.l2(nnx.relu(self.l1(z)))))[:, 0]


class Discriminator(nnx.Module):
    """D_φ: x [B] → logit [B]; D(x) = sigmoid(logit) is P(x is real)."""

    def __init__(self, hidden: int, *, rngs: nnx.Rngs):
        self.l1 = nnx.Linear(1, hidden, rngs=rngs)
        self.l2 = nnx.Linear(hidden, hidden, rngs=rngs)
        self.out = nnx.Linear(hidden, 1, rngs=rngs)

    def __call__(self, x):
        return self.out(nnx.relu(self.l2(nnx.relu(self.l1(x[:, None])))))[:, 0]


def d_loss_fn(disc: Discriminator, x_real: jax.Array, x_fake: jax.Array) -> jax.Array:
    """Discriminator loss: binary cross-entropy, real → 1, fake → 0.

    Math (Goodfellow et al. 2014, eq. 1):
        L_D = -E_p[log D(x)] - E_q[log(1 - D(x))],   with log D = -softplus(-logit).

    Args:
        disc: the discriminator.
        x_real, x_fake: what D sees, shape [B] each (with instance noise already added).
    """
    return jnp.mean(jax.nn.softplus(-disc(x_real))) + jnp.mean(jax.nn.softplus(disc(x_fake)))


def g_loss_fn(
    gen: Generator, disc: Discriminator, z: jax.Array, noise_fake: jax.Array
) -> jax.Array:
    """Generator loss in the non-saturating form (Goodfellow et al. 2014, §3).

    Math:
        L_G = -E_z[log D(G(z) + σn)]   (instead of the saturating E_z[log(1 - D(G(z)))]).

    Args:
        gen, disc: the two networks.
        z: latent codes, shape [B, z_dim].
        noise_fake: instance noise σ · n added to G(z), shape [B] (zeros: plain GAN).
    """
    return jnp.mean(jax.nn.softplus(-disc(gen(z) + noise_fake)))


def train_step(gen, disc, g_opt, d_opt, x_real, z, noise_real, noise_fake):
    """One D step then one G step (updates the modules in place); returns (L_D, L_G).

    ``x_real`` [B]; ``z`` [B, z_dim]; ``noise_real``, ``noise_fake`` [B] are the instance
    noise σ · n added to the real and generated points (zeros: plain GAN).
    """
    x_fake = gen(z) + noise_fake
    d_loss, d_grads = nnx.value_and_grad(d_loss_fn)(disc, x_real + noise_real, x_fake)
    d_opt.update(disc, d_grads)
    g_loss, g_grads = nnx.value_and_grad(g_loss_fn)(gen, disc, z, noise_fake)
    g_opt.update(gen, g_grads)
    return d_loss, g_loss


def sigma_schedule(steps: int, sigma0: float, anneal_frac: float = 0.6):
    """Annealed instance-noise scales σ_s for s = 0..steps-1: linear from σ₀ to 0.

    Math:
        σ_s = σ₀ · max(0, 1 - s / (anneal_frac · steps));   σ₀ = 0 gives the plain GAN.

    Returns:
        shape [steps].
    """
    if not 0 < anneal_frac <= 1:
        raise ValueError(f"anneal_frac must lie in (0, 1], got {anneal_frac}")
    if sigma0 < 0:
        raise ValueError(f"sigma0 must be >= 0, got {sigma0}")
    return sigma0 * jnp.maximum(0.0, 1.0 - jnp.arange(steps) / (anneal_frac * steps))


def draw_noise(key, shape, noise: Noise):
    """Standard instance noise n of the chosen kind, shape ``shape``."""
    if noise is Noise.GAUSSIAN:
        return jax.random.normal(key, shape)
    return jax.random.cauchy(key, shape)


def make_gan(key, config: GanConfig):
    """Fresh (generator, discriminator, g_optimizer, d_optimizer) from ``key``."""
    rngs = nnx.Rngs(key)
    gen = Generator(config.z_dim, config.hidden, rngs=rngs)
    disc = Discriminator(config.hidden, rngs=rngs)
    tx = optax.adam(config.lr, b1=0.5)  # β₁ = 0.5, the usual GAN setting (DCGAN)
    return gen, disc, nnx.Optimizer(gen, tx, wrt=nnx.Param), nnx.Optimizer(disc, tx, wrt=nnx.Param)


class GanTrace(NamedTuple):
    """What ``train_gan`` records: losses every step, generated samples at snapshots."""

    d_loss: jax.Array  # [steps]
    g_loss: jax.Array  # [steps]
    snapshot_steps: jax.Array  # [S], step count after which each snapshot was taken
    samples: jax.Array  # [S, n_samples]


@functools.partial(jax.jit, static_argnames=("config", "n_snapshots", "n_samples"))
def train_gan(
    key,
    mixture: GaussianMixture,
    sigmas,
    config: GanConfig,
    n_snapshots: int = 24,
    n_samples: int = 2000,
) -> GanTrace:
    """Train one GAN on ``mixture`` for ``len(sigmas)`` steps; a pure function of its inputs.

    All randomness is drawn up front from ``key`` (data, z, noise for every step), then
    ``train_step`` runs under ``jax.lax.scan``; snapshots share one fixed z.

    Args:
        key: PRNG key; the only source of randomness (init, data, z, noise).
        mixture: the data distribution p.
        sigmas: instance-noise scale σ_s of every step, shape [steps] (zeros: plain GAN).
        config: architecture and optimiser.
        n_snapshots: how many times to record samples; must divide ``steps``.
        n_samples: samples per snapshot.
    """
    steps, b = sigmas.shape[0], config.batch_size
    if steps % n_snapshots:
        raise ValueError(f"steps ({steps}) must be a multiple of n_snapshots ({n_snapshots})")
    key_init, key_data, key_z, key_noise, key_eval = jax.random.split(key, 5)
    graphdef, state = nnx.split(make_gan(key_init, config))
    x_real, _ = mixture_sample(key_data, steps * b, *mixture)  # [steps * b]
    z = jax.random.normal(key_z, (steps, b, config.z_dim))
    noise = sigmas[:, None, None] * draw_noise(key_noise, (steps, 2, b), config.noise)
    z_eval = jax.random.normal(key_eval, (n_samples, config.z_dim))

    def one_step(state, batch):
        gen, disc, g_opt, d_opt = nnx.merge(graphdef, state)
        x_real, z, noise = batch
        losses = train_step(gen, disc, g_opt, d_opt, x_real, z, noise[0], noise[1])
        return nnx.state((gen, disc, g_opt, d_opt)), losses

    def one_chunk(state, chunk):
        state, losses = jax.lax.scan(one_step, state, chunk)
        return state, (losses, nnx.merge(graphdef, state)[0](z_eval))

    chunks = jax.tree.map(
        lambda a: a.reshape(n_snapshots, steps // n_snapshots, *a.shape[1:]),
        (x_real.reshape(steps, b), z, noise),
    )
    _, ((d_loss, g_loss), samples) = jax.lax.scan(one_chunk, state, chunks)
    snapshot_steps = (jnp.arange(n_snapshots) + 1) * (steps // n_snapshots)
    return GanTrace(d_loss.reshape(-1), g_loss.reshape(-1), snapshot_steps, samples)


def coverage_over_seeds(
    seeds, mixture: GaussianMixture, sigmas, config: GanConfig
) -> tuple[ModeCoverage, jax.Array]:
    """Train one GAN per seed (key = ``jax.random.key(seed)``) and score its final samples.

    Every run calls ``train_gan`` with its defaults (2000 samples at 24 snapshots), so all
    runs share one compilation with a plain ``train_gan(key, mixture, sigmas, config)`` call.

    Returns:
        ``(coverage, samples)``: ``mode_coverage`` of each run (fields with a leading
        [n_seeds] axis) and the final samples, shape [n_seeds, 2000].
    """
    final = jnp.stack(
        [train_gan(jax.random.key(s), mixture, sigmas, config).samples[-1] for s in seeds]
    )
    coverage = jax.vmap(lambda x: mode_coverage(x, mixture.means, mixture.stds, mixture.weights))(
        final
    )
    return coverage, final
