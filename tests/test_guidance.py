"""Classifier-free guidance (core.guidance) against hand computations and exact mixture scores."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core.guidance import cfg_eps, drop_labels, guided_eps


def test_label_dropout_rate_is_p_and_kept_labels_are_unchanged():
    labels = jnp.arange(200_000) % 10
    out = drop_labels(jax.random.key(0), labels, 0.1, 10)
    dropped = np.asarray(out == 10)
    se = np.sqrt(0.1 * 0.9 / labels.size)  # binomial standard error of the share
    assert abs(dropped.mean() - 0.1) < 5 * se
    np.testing.assert_array_equal(np.asarray(out)[~dropped], np.asarray(labels)[~dropped])
    # independent of the class: every digit loses the same share (within 5 SE of 0.1 each)
    for k in range(10):
        assert abs(dropped[np.asarray(labels) == k].mean() - 0.1) < 5 * np.sqrt(0.09 / 20_000)


def test_label_dropout_p_0_keeps_all_and_p_1_drops_all():
    labels = jnp.array([3, 1, 4, 1, 5])
    np.testing.assert_array_equal(drop_labels(jax.random.key(1), labels, 0.0, 10), labels)
    np.testing.assert_array_equal(drop_labels(jax.random.key(1), labels, 1.0, 10), 10)


def test_guided_eps_matches_a_hand_computation():
    eps_c, eps_u = jnp.array([1.0, -2.0, 0.5]), jnp.array([0.5, 1.0, 0.5])
    # w = 3: 4·ε_c - 3·ε_u = [4 - 1.5, -8 - 3, 2 - 1.5]
    np.testing.assert_allclose(guided_eps(eps_c, eps_u, 3.0), [2.5, -11.0, 0.5])
    np.testing.assert_array_equal(guided_eps(eps_c, eps_u, 0.0), eps_c)  # w = 0: exactly ε_c


def _two_class_q(alpha_bar, means=(-1.0, 1.5), std=0.4):
    """q_t(x | y) for x_0 | y ~ N(m_y, s²), and q_t(x) for p(y) = 1/2 each (log densities)."""

    def log_q_given(x, y):
        m = jnp.sqrt(alpha_bar) * jnp.asarray(means)[y]
        v = alpha_bar * std**2 + 1 - alpha_bar
        return -0.5 * (x - m) ** 2 / v - 0.5 * jnp.log(2 * jnp.pi * v)

    def log_q(x):
        return jnp.logaddexp(log_q_given(x, 0), log_q_given(x, 1)) + jnp.log(0.5)

    return log_q_given, log_q


@pytest.mark.parametrize("w", [0.0, 1.0, 4.0])
def test_guided_eps_is_the_eps_of_the_tilted_density(w):
    """ε̃ from exact ε(x|y), ε(x) = ε of q(x|y)^{1+w} q(x)^{-w} ∝ q(x|y) q(y|x)^w (autodiff)."""
    alpha_bar = 0.6
    log_q_given, log_q = _two_class_q(alpha_bar)
    x = jnp.linspace(-3.0, 3.0, 13)
    scale = -jnp.sqrt(1 - alpha_bar)  # ε = -√(1-ᾱ) ∇ log q
    eps_cond = scale * jax.vmap(jax.grad(lambda x: log_q_given(x, 1)))(x)
    eps_uncond = scale * jax.vmap(jax.grad(log_q))(x)

    def log_tilted(x):  # log q(x|y) + w log q(y|x), Bayes: q(y|x) = q(x|y) p(y) / q(x)
        return log_q_given(x, 1) + w * (log_q_given(x, 1) + jnp.log(0.5) - log_q(x))

    want = scale * jax.vmap(jax.grad(log_tilted))(x)
    np.testing.assert_allclose(guided_eps(eps_cond, eps_uncond, w), want, rtol=1e-5, atol=1e-6)


def _eps_fn(x_t, t, y):  # a stand-in network whose output depends on every input
    return jnp.sin(x_t + 0.1 * t[:, None]) + 0.3 * y[:, None]


def test_cfg_eps_one_doubled_call_equals_two_separate_calls():
    x = jnp.linspace(-1.0, 1.0, 8).reshape(4, 2)
    t, y = jnp.array([1, 5, 9, 2]), jnp.array([0, 3, 9, 1])
    got = cfg_eps(_eps_fn, x, t, y, 2.0, 10)
    want = 3.0 * _eps_fn(x, t, y) - 2.0 * _eps_fn(x, t, jnp.full(4, 10))
    np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_array_equal(cfg_eps(_eps_fn, x, t, y, 0.0, 10), _eps_fn(x, t, y))


def test_cfg_eps_under_jit_takes_w_as_a_traced_value():
    x, t, y = jnp.ones((2, 3)), jnp.array([1, 2]), jnp.array([4, 5])
    f = jax.jit(lambda w: cfg_eps(_eps_fn, x, t, y, w, 10))
    np.testing.assert_allclose(f(1.5), cfg_eps(_eps_fn, x, t, y, 1.5, 10), rtol=1e-6)
