"""A student can copy any public function of ``diffusion_lite.core`` and run it with only JAX.

The public API is enumerated from the modules themselves (no list to forget a function in):
each function's source, plus what its docstring's "Copy with:" line names (other core
functions or classes, recursively, and plain ``import`` statements), is executed in a
namespace that holds only ``jax`` and ``jax.numpy``; the copy must give the package's numbers.
"""

import importlib
import inspect
import pkgutil
import re
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import diffusion_lite.core
from diffusion_lite.core import schedules

MODULES = [
    importlib.import_module(f"diffusion_lite.core.{m.name}")
    for m in pkgutil.iter_modules(diffusion_lite.core.__path__)
]
PUBLIC = {
    name: obj
    for module in MODULES
    for name, obj in vars(module).items()
    if not name.startswith("_")
    and (inspect.isfunction(obj) or inspect.isclass(obj))
    and obj.__module__ == module.__name__
}
PRIVATE_HELPERS = {  # private names a docstring may point at
    name: obj
    for module in MODULES
    for name, obj in vars(module).items()
    if name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__
}

BETAS = schedules.linear_betas(20, 1e-3, 0.2)
S = schedules.make_schedule(BETAS)
X = jnp.linspace(-1.0, 1.0, 6)
X2 = jnp.linspace(-1.0, 1.0, 12).reshape(6, 2)
EPS = jnp.cos(jnp.arange(6.0))
T6 = jnp.array([1, 2, 5, 9, 15, 20])
KEY = jax.random.key(0)


def _eps_fn(x_t, t):
    return 0.1 * x_t + 0.01 * t[:, None]


def _cond_eps_fn(x_t, t, y):
    return 0.1 * x_t + 0.01 * t[:, None] - 0.02 * y[:, None]


def _score_fn(x, level):
    return -x * (1.0 + level)


def _drift_fn(x, s):
    return -x * s


def _heun(drift_fn, x, s, s_next):  # a stepper for solve_ode: one Heun step, by hand
    d = drift_fn(x, s)
    x_euler = x + (s_next - s) * d
    return x + 0.5 * (s_next - s) * (d + drift_fn(x_euler, s_next))


RING = (jnp.array([0.25, 0.75]), jnp.array([[1.0, 0.0], [-1.0, 0.5]]), jnp.array([0.2, 0.3]))


CALLS = {  # one call per public function: the test fails if one is missing
    "linear_betas": (10, 1e-3, 0.2),
    "cosine_betas": (10,),
    "make_schedule": (BETAS,),
    "snr": (S,),
    "check_t": (T6, 20, X),
    "extract": (S.alpha_bars, T6, X2),
    "q_step_mean_var": (X, 3, S),
    "q_step": (X, 3, EPS, S),
    "q_chain": (KEY, X, S),
    "q_xt_x0_mean_var": (X, 7, S),
    "q_sample": (X, T6, EPS, S),
    "q_posterior_mean_var": (X, EPS, 5, S),
    "predict_x0_from_eps": (X, 5, EPS, S),
    "gaussian_kl": (X, 0.5, EPS, 2.0),
    "gaussian_log_likelihood": (X, EPS, 0.3),
    "elbo_weights": (S, S.betas),
    "eps_loss": (X, EPS),
    "min_snr_weights": (S,),
    "weighted_eps_loss": (X2, X2 * 0.5, EPS),
    "reverse_variances": (S,),
    "p_mean_from_eps": (X, 4, EPS, S),
    "p_sample_step": (X, T6, EPS, EPS, S),
    "ddim_step": (X, 9, 4, EPS, EPS, S, 0.5),
    "ancestral_sample": (KEY, _eps_fn, (3, 1), S),
    "ddim_timesteps": (20, 7),
    "ddim_sample": (KEY, _eps_fn, (3, 1), S, 5, 0.5),
    "prior_term": (X2, S),
    "diffusion_term": (X2, T6 + (T6 == 1), X2, X2 * 0.9, S),
    "decoder_term": (X2, X2, X2 * 0.9, S),
    "nll_bound": (KEY, _eps_fn, X2[:, :1], S),
    # scores.py and ode.py (notebook 09)
    "ring_mixture": (4, 1.5, 0.2),
    "diffuse_mixture2d": (*RING, 0.4),
    "mixture2d_logpdf": (X2, *RING),
    "mixture2d_score": (X2, *RING),
    "mixture2d_eps_star": (X2, 0.4, *RING),
    "mixture2d_sample": (KEY, 5, *RING),
    "langevin_step": (X2, -X2, X2, 0.1),
    "annealed_langevin": (KEY, _score_fn, X2, jnp.array([0.1, 0.05]), 3),
    "vp_alpha_bar": (0.3,),
    "vp_schedule": (10,),
    "sde_drift_diffusion": (X2, 0.3),
    "reverse_sde_drift": (X2, 0.3, -X2),
    "reverse_sde_step": (X2, 0.3, 0.2, -X2, X2),
    "ode_drift": (X2, 0.3, -X2),
    "ode_drift_from_eps": (X2, 0.3, X2),
    "euler_step": (_drift_fn, X2, 0.3, 0.2),
    "heun_step": (_drift_fn, X2, 0.3, 0.2),
    "solve_ode": (_heun, _drift_fn, X2, jnp.linspace(1.0, 0.0, 4)),
    "ode_log_likelihood": (_drift_fn, X2, jnp.linspace(0.0, 1.0, 4)),
    # guidance.py (notebook 10)
    "drop_labels": (KEY, jnp.arange(6) % 3, 0.5, 3),
    "guided_eps": (X2, X2 * 0.5, 2.0),
    "cfg_eps": (_cond_eps_fn, X2, T6, jnp.arange(6) % 3, 1.5, 3),
}
CLASSES = {name for name, obj in PUBLIC.items() if inspect.isclass(obj)}


def _named(obj) -> list[str]:
    """The ``tokens`` of the docstring's "Copy with:" paragraph."""
    doc = inspect.getdoc(obj) or ""
    match = re.search(r"Copy with:(.*?)(?:\n\s*\n|$)", doc, re.S)
    assert match, f"{obj.__name__}: docstring has no 'Copy with:' line"
    return re.findall(r"``([^`]+)``", match.group(1))


def _copy_into(namespace: dict, obj, seen: set) -> None:
    if obj.__name__ in seen:
        return
    seen.add(obj.__name__)
    for token in _named(obj):
        if token.startswith(("import ", "from ")):
            exec(token, namespace)  # noqa: S102
        elif token in PUBLIC or token in PRIVATE_HELPERS:
            _copy_into(namespace, PUBLIC.get(token) or PRIVATE_HELPERS[token], seen)
        else:
            assert token in {"jax", "jax.numpy"}, f"{obj.__name__}: unknown name {token!r}"
    exec(textwrap.dedent(inspect.getsource(obj)), namespace)  # noqa: S102


def test_every_public_function_has_a_call_here():
    assert set(PUBLIC) - CLASSES == set(CALLS), "add the new function to CALLS"
    assert CLASSES == {"Schedule", "Variance", "NLLBound"}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_copied_alone_it_runs_with_only_jax_imported(name):
    namespace = {"jax": jax, "jnp": jnp}
    _copy_into(namespace, PUBLIC[name], set())
    if name in CLASSES:
        assert inspect.isclass(namespace[name])
        return
    copied = namespace[name](*CALLS[name])
    original = PUBLIC[name](*CALLS[name])
    for got, want in zip(jax.tree.leaves(copied), jax.tree.leaves(original), strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
