"""Checks for the exercises of notebook 10 (class conditioning and classifier-free guidance).

Each ``check_*`` compares the student's answer with an independent computation (autodiff of
exact log-densities, counting over many draws, a live experiment), prints what is right or
wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".  Handing in the package's own
function does not count.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.core.guidance import cfg_eps, drop_labels, guided_eps
from diffusion_lite.core.schedules import linear_betas, make_schedule
from diffusion_lite.exercises._guards import read_prediction, refuse_package
from diffusion_lite.exercises._student import call_student as _call
from diffusion_lite.toys.guidance1d import class_mixture, labelled_mixture, sample_guided
from diffusion_lite.toys.mixtures import diffuse_mixture, mixture_logpdf

PREDICTIONS = ("wider", "narrower", "about the same")


def _toy_eps(alpha_bar: float):
    """Exact ε(x_t), ε(x_t | y) for y = 0, 1, 2 and log densities, on the notebook's 3 classes."""
    data = labelled_mixture([-2.0, 0.0, 2.0], [0.6, 0.6, 0.6])
    noisy = diffuse_mixture(*data, alpha_bar)

    def log_q(x):
        return mixture_logpdf(x, *noisy)

    def log_q_given(x, y):
        return mixture_logpdf(x, *diffuse_mixture(*class_mixture(data, y), alpha_bar))

    scale = -np.sqrt(1.0 - alpha_bar)  # ε = -√(1-ᾱ) ∇ log q
    x = jnp.linspace(-3.5, 3.5, 15)
    eps_u = scale * jax.vmap(jax.grad(log_q))(x)
    eps_c = jnp.stack(
        [scale * jax.vmap(jax.grad(lambda x, y=y: log_q_given(x, y)))(x) for y in range(3)]
    )
    return x, eps_u, eps_c, log_q, log_q_given, scale


def check_composed_eps(composed_eps: Callable) -> None:
    """Exercise 1: the ε of p(x) Π_i p(y_i | x)^{γ_i}, from ε(x_t) and each ε(x_t | y_i)."""
    if refuse_package(composed_eps, guided_eps, cfg_eps):
        return
    alpha_bar = 0.5
    x, eps_u, eps_c, log_q, log_q_given, scale = _toy_eps(alpha_bar)
    cases = [  # (labels, γ, what a wrong answer misses)
        ([1], [0.0], "with γ = 0 there is no guidance: the answer must be ε(x_t)"),
        ([2], [1.0], "with one label and γ = 1 the target is p(x) p(y|x) ∝ p(x|y): ε(x_t | y)"),
        ([0], [3.0], "one label, γ = 3"),
        ([0, 2], [2.0, 0.5], "two labels: each p(y_i | x)^{γ_i} adds its own Bayes term"),
        ([0, 1, 2], [1.0, 1.0, 1.0], "three labels with γ = 1 each"),
    ]
    for labels, gammas, hint in cases:
        out, ok = _call(composed_eps, "composed_eps(eps_uncond, eps_conds, gammas)", eps_u,
                        eps_c[jnp.array(labels)], jnp.array(gammas))  # fmt: skip
        if not ok:
            return

        def log_target(x, labels=labels, gammas=gammas):  # log p(x) + Σ γ_i log p(y_i | x)
            return log_q(x) + sum(g * (log_q_given(x, y) + np.log(1 / 3) - log_q(x))
                                  for y, g in zip(labels, gammas, strict=True))  # fmt: skip

        want = np.asarray(scale * jax.vmap(jax.grad(log_target))(x))
        got = np.asarray(out, np.float64)
        if got.shape != want.shape:
            print(f"Shape {got.shape}, expected {want.shape} (one ε per point x_t).")
            return
        if not np.allclose(got, want, rtol=1e-4, atol=1e-4):
            print(f"Labels {labels}, γ = {gammas}: max error {np.max(np.abs(got - want)):.3g}. "
                  f"Hint: {hint}.")  # fmt: skip
            return
    print("Correct: ε̃ = ε(x_t) + Σ_i γ_i (ε(x_t | y_i) - ε(x_t)); γ = 1 + w for one label is CFG.")


def check_drop_labels(drop: Callable) -> None:
    """Exercise 2: replace each label by ∅ with probability p, independently of its class."""
    if refuse_package(drop, drop_labels):
        return
    what = "drop(key, labels, p, null_label)"
    labels = jnp.arange(100_000) % 10
    for p in (0.0, 1.0):
        out, ok = _call(drop, what, jax.random.key(0), labels, p, 10)
        if not ok:
            return
        want = labels if p == 0.0 else jnp.full_like(labels, 10)
        if np.shape(out) != labels.shape or not np.array_equal(np.asarray(out), np.asarray(want)):
            print(f"With p = {p:g} {'no label' if p == 0 else 'every label'} should become ∅ = 10.")
            return
    out, ok = _call(drop, what, jax.random.key(1), labels, 0.25, 10)
    if not ok:
        return
    out, lab = np.asarray(out), np.asarray(labels)
    if not np.issubdtype(out.dtype, np.integer):
        print(f"The labels came back as {out.dtype}: an embedding needs integer indices.")
        return
    dropped = out == 10
    if not np.array_equal(out[~dropped], lab[~dropped]):
        print("Some labels changed into another digit: a label is either kept or becomes ∅.")
        return
    se = np.sqrt(0.25 * 0.75 / lab.size)
    if abs(dropped.mean() - 0.25) > 5 * se:
        print(f"With p = 0.25 you dropped {dropped.mean():.1%} of the labels.")
        return
    per_class = np.array([dropped[lab == k].mean() for k in range(10)])
    if np.any(np.abs(per_class - 0.25) > 5 * np.sqrt(0.25 * 0.75 / 10_000)):
        print(f"Dropped share per digit {np.round(per_class, 3)}: each label must be dropped "
              "with the same p, whatever its class.")  # fmt: skip
        return
    again, _ = _call(drop, what, jax.random.key(2), labels, 0.25, 10)
    if np.array_equal(np.asarray(again), out):
        print("Two different keys gave the same mask: draw the randomness from the key.")
        return
    print("Correct: a Bernoulli(p) mask per example, ∅ where it fires, the label elsewhere.")


def check_prediction_ddim_spread(prediction) -> None:
    """Exercise 3: at w = 3, is DDIM's (η = 0) spread of class 1 wider or narrower than ancestral's?"""
    prediction = read_prediction(prediction, PREDICTIONS)
    if prediction is None:
        return
    data = labelled_mixture([-2.0, 0.0, 2.0], [0.6, 0.6, 0.6])
    schedule = make_schedule(linear_betas(200, 1e-4, 0.1))
    key = jax.random.key(10)
    anc = float(jnp.std(sample_guided(key, data, 1, 3.0, schedule, 4000)))
    ddim = float(jnp.std(sample_guided(key, data, 1, 3.0, schedule, 4000, ddim_steps=50)))
    outcome = "narrower" if ddim < 0.8 * anc else "wider" if ddim > 1.25 * anc else "about the same"
    print(f"std of class-1 samples at w = 3: ancestral {anc:.2f}, DDIM (η = 0) {ddim:.2f}")
    print(f"Your prediction ({prediction}) {'held' if prediction == outcome else 'did not hold'}: "
          f"DDIM's samples are {outcome}.")  # fmt: skip
    print(
        "Why: guidance makes the drift pull harder towards class 1 at every step. The ancestral "
        "sampler adds fresh noise at each step, which keeps some spread; DDIM follows the "
        "guided flow with no noise, and that flow squeezes class 1 towards its centre."
    )
