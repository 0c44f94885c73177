"""Noise schedules: β_t, α_t = 1 - β_t, ᾱ_t = ∏_{s≤t} α_s and the signal-to-noise ratio.

One time convention everywhere in diffusion_lite: t = 1..T and every schedule array has
length T + 1 with a dummy entry at index 0, so that ``betas[t]`` *is* β_t and
``alpha_bars[t]`` *is* ᾱ_t.  Index 0 holds β_0 = 0, α_0 = 1, ᾱ_0 = 1 (no noise: x_0 is
the data), which makes formulas such as ᾱ_{t-1} valid at t = 1 without special cases.

Every constant the other core functions need (ᾱ_t, ᾱ_{t-1}, 1 - ᾱ_t, β̃_t, the posterior
coefficients, …) is computed once by ``make_schedule``, in float64 on the host (as in Ho et
al.'s code), and only then cast to float32: recomputing ᾱ_t = ∏(1 - β_s) in float32 inside
each function loses 1 - ᾱ_t to cancellation at small t (relative error up to ~5e-4 at t = 1).
Every public core function takes that one ``Schedule`` object; none takes bare betas.
"""

import math
from typing import NamedTuple

import jax
import jax.numpy as jnp


def linear_betas(T: int, beta_1: float = 1e-4, beta_T: float = 0.02, dtype=jnp.float32):
    """β_t rising linearly from ``beta_1`` to ``beta_T`` (Ho et al. 2020, §4).

    Math:
        β_t = β_1 + (t - 1) / (T - 1) · (β_T - β_1),   t = 1..T;   β_0 = 0.

    Args:
        T: number of diffusion steps, an integer T ≥ 1.
        beta_1, beta_T: first and last β, each in (0, 1).
        dtype: a floating dtype (default float32); the values are computed in float64.

    Returns:
        ``betas``, shape [T + 1], with ``betas[0] = 0``.

    Copy with: nothing (only ``jax.numpy``).

    >>> linear_betas(3, 0.1, 0.3).tolist()  # doctest: +ELLIPSIS
    [0.0, 0.1..., 0.2..., 0.3...]
    """
    if isinstance(T, bool) or not isinstance(T, int) or T < 1:
        raise ValueError(f"T must be an integer >= 1, got {T!r}")
    for name, value in (("beta_1", beta_1), ("beta_T", beta_T)):
        if not 0.0 < float(value) < 1.0:
            raise ValueError(f"{name} = {value!r} is outside the allowed range 0 < beta < 1")
    if not jnp.issubdtype(dtype, jnp.floating):
        raise ValueError(f"dtype must be a floating dtype (e.g. jnp.float32), got {dtype}")
    step = (float(beta_T) - float(beta_1)) / (T - 1) if T > 1 else 0.0
    inner = [float(beta_1) + i * step for i in range(T - 1)] + [float(beta_T if T > 1 else beta_1)]
    return jnp.asarray([0.0] + inner, dtype=dtype)


def cosine_betas(T: int, s: float = 0.008, max_beta: float = 0.999, dtype=jnp.float32):
    """β_t from the cosine schedule of Nichol & Dhariwal (2021), eq. 17.

    Math:
        f(t) = cos²( (t/T + s) / (1 + s) · π/2 ),   ᾱ_t = f(t) / f(0),
        β_t = min(1 - ᾱ_t / ᾱ_{t-1}, max_beta).

    Args:
        T: number of diffusion steps, an integer T ≥ 1.
        s: small offset so that β_1 is not vanishingly small, 0 ≤ s < ∞.
        max_beta: clip for the last steps (where ᾱ_t → 0), in (0, 1).
        dtype: a floating dtype (default float32); the values are computed in float64.

    Returns:
        ``betas``, shape [T + 1], with ``betas[0] = 0``.

    Copy with: ``import math``.
    """
    if isinstance(T, bool) or not isinstance(T, int) or T < 1:
        raise ValueError(f"T must be an integer >= 1, got {T!r}")
    if not 0.0 <= s < math.inf:
        raise ValueError(f"s = {s!r} is outside the allowed range 0 <= s < inf")
    if not 0.0 < max_beta < 1.0:
        raise ValueError(f"max_beta = {max_beta!r} is outside the allowed range 0 < max_beta < 1")
    if not jnp.issubdtype(dtype, jnp.floating):
        raise ValueError(f"dtype must be a floating dtype (e.g. jnp.float32), got {dtype}")
    f = [math.cos((t / T + s) / (1.0 + s) * math.pi / 2.0) ** 2 for t in range(T + 1)]
    betas = [0.0] + [min(1.0 - f[t] / f[t - 1], max_beta) for t in range(1, T + 1)]
    for t in range(1, T + 1):
        if not 0.0 < betas[t] < 1.0:
            raise ValueError(f"s = {s!r} gives beta_{t} = {betas[t]!r}, outside 0 < beta_t < 1")
    return jnp.asarray(betas, dtype=dtype)


class Schedule(NamedTuple):
    """The schedule's constants, each shape [T + 1] and indexed by t (index 0: t = 0, no noise).

    Built by ``make_schedule``; a NamedTuple, so it is a JAX pytree (pass it through ``jit``).
    Index 0 holds β_0 = 0, α_0 = ᾱ_0 = 1 and zeros for the posterior terms (there is no step 0).

    Copy with: ``from typing import NamedTuple``.
    """

    betas: jax.Array  # β_t
    alphas: jax.Array  # α_t = 1 - β_t
    alpha_bars: jax.Array  # ᾱ_t = ∏_{s≤t} α_s
    alpha_bars_prev: jax.Array  # ᾱ_{t-1} (index 0: 1)
    one_minus_alpha_bars: jax.Array  # 1 - ᾱ_t, without cancellation
    sqrt_alpha_bars: jax.Array  # √ᾱ_t
    sqrt_one_minus_alpha_bars: jax.Array  # √(1 - ᾱ_t)
    posterior_variance: jax.Array  # β̃_t = (1 - ᾱ_{t-1}) / (1 - ᾱ_t) · β_t, β̃_1 = 0
    posterior_log_variance_clipped: jax.Array  # log β̃_t, with β̃_2 at t = 1 (β_1 if T = 1)
    posterior_mean_coef1: jax.Array  # √ᾱ_{t-1} β_t / (1 - ᾱ_t), coef1_1 = 1
    posterior_mean_coef2: jax.Array  # √α_t (1 - ᾱ_{t-1}) / (1 - ᾱ_t), coef2_1 = 0


def make_schedule(betas, dtype=None) -> "Schedule":
    """Every constant of a schedule, computed once in float64 (Python floats), then cast.

    Math (Ho et al. 2020 eqs. 4, 7):
        α_t = 1 - β_t,   ᾱ_t = ᾱ_{t-1} α_t,   1 - ᾱ_t = (1 - ᾱ_{t-1}) + ᾱ_{t-1} β_t,
        β̃_t = (1 - ᾱ_{t-1}) / (1 - ᾱ_t) · β_t,
        coef1_t = √ᾱ_{t-1} β_t / (1 - ᾱ_t),   coef2_t = √α_t (1 - ᾱ_{t-1}) / (1 - ᾱ_t).
    1 - ᾱ_t is accumulated as a sum of positive terms, so it never cancels, and at t = 1
    it is exactly β_1: coef1_1 = 1, coef2_1 = 0 and β̃_1 = 0 exactly.

    Args:
        betas: β_t, shape [T + 1] with ``betas[0] = 0`` and 0 < β_t < 1 (concrete values:
            build the schedule outside ``jit``).
        dtype: a floating dtype for the arrays; default: the dtype of ``betas`` if it is a
            floating array (as JAX stores it: float32 unless x64 is on), else float32.

    Returns:
        a ``Schedule`` of arrays of shape [T + 1].

    Copy with: ``Schedule``, ``import math``.

    >>> [round(v, 6) for v in make_schedule([0.0, 0.1, 0.2]).alpha_bars.tolist()]
    [1.0, 0.9, 0.72]
    >>> make_schedule(linear_betas(1000)).posterior_mean_coef1[1].item()  # exactly 1
    1.0
    """
    if isinstance(betas, jax.core.Tracer):
        raise ValueError("betas must be concrete values: call make_schedule outside jit")
    if dtype is None:
        given = getattr(betas, "dtype", jnp.float32)
        if not jnp.issubdtype(given, jnp.floating):
            raise ValueError(f"betas must have a floating dtype (values in (0, 1)), got {given}")
        dtype = jax.dtypes.canonicalize_dtype(given)
    if not jnp.issubdtype(dtype, jnp.floating):
        raise ValueError(f"dtype must be a floating dtype (e.g. jnp.float32), got {dtype}")
    shape = getattr(betas, "shape", None) or (len(betas),)
    if len(shape) != 1 or shape[0] < 2 or any(hasattr(v, "__len__") for v in jax.device_get(betas)):
        raise ValueError(f"betas must be a 1-D array of length T + 1 >= 2, got shape {shape}")
    b = [float(v) for v in jax.device_get(betas)]  # Python floats are float64
    if b[0] != 0.0:
        raise ValueError(f"betas[0] must be 0 (t = 0 is the data, no noise), got {b[0]!r}")
    for t, beta in enumerate(b[1:], start=1):
        if not 0.0 < beta < 1.0:
            raise ValueError(f"betas[{t}] = {beta!r} is outside the allowed range 0 < beta_t < 1")
    T = len(b) - 1
    ab, om = [1.0], [0.0]  # ᾱ_t and 1 - ᾱ_t
    for t in range(1, T + 1):
        om.append(om[t - 1] + ab[t - 1] * b[t])
        ab.append(ab[t - 1] * (1.0 - b[t]))
    var = [0.0] + [om[t - 1] / om[t] * b[t] for t in range(1, T + 1)]
    log_var = [0.0] + [math.log(var[2] if T > 1 else b[1])] + [math.log(v) for v in var[2:]]
    coef1 = [0.0] + [math.sqrt(ab[t - 1]) * b[t] / om[t] for t in range(1, T + 1)]
    coef2 = [0.0] + [math.sqrt(1.0 - b[t]) * om[t - 1] / om[t] for t in range(1, T + 1)]
    columns = dict(
        betas=b,
        alphas=[1.0 - v for v in b],
        alpha_bars=ab,
        alpha_bars_prev=[1.0] + ab[:-1],
        one_minus_alpha_bars=om,
        sqrt_alpha_bars=[math.sqrt(v) for v in ab],
        sqrt_one_minus_alpha_bars=[math.sqrt(v) for v in om],
        posterior_variance=var,
        posterior_log_variance_clipped=log_var,
        posterior_mean_coef1=coef1,
        posterior_mean_coef2=coef2,
    )
    return Schedule(**{k: jnp.asarray(v, dtype=dtype) for k, v in columns.items()})


def snr(schedule: "Schedule"):
    """Signal-to-noise ratio of q(x_t | x_0):  SNR(t) = ᾱ_t / (1 - ᾱ_t), shape [T + 1].

    SNR(0) = +inf (pure signal).  Where SNR crosses 1, noise starts to outweigh signal.

    Copy with: nothing.
    """
    return schedule.alpha_bars / schedule.one_minus_alpha_bars


def check_t(t, T: int, x=None, name: str = "t", low: int = 1) -> None:
    """Refuse a step index that is not an integer in ``low``..T, with a ValueError naming it.

    Checked always, also under ``jit``: t has an integer dtype, and is a scalar or has
    shape [B] with B the leading axis of ``x``.  Checked only for concrete values (under
    ``jit`` t is traced and its values are unknown, so out-of-range steps are *not* caught
    there and JAX clamps the index): ``low ≤ t ≤ T``.

    Args:
        t: step index, a Python int or an integer array, scalar or shape [B].
        T: number of steps of the schedule.
        x: the data t goes with (shape [B, ...]), or None to skip the batch check.
        name: the argument's name in the message.
        low: smallest allowed step (1 for t, 0 for DDIM's t_prev).

    Copy with: nothing (only ``jax``, ``jax.numpy``).
    """
    allowed = f"{low}..T = {low}..{T}"
    dtype = jnp.result_type(t)
    if not jnp.issubdtype(dtype, jnp.integer):
        raise ValueError(f"{name} must be an integer in {allowed}, got dtype {dtype}")
    shape, batch = jnp.shape(t), None if x is None else jnp.shape(x)[:1]
    if len(shape) > 1 or (len(shape) == 1 and batch is not None and shape != batch):
        raise ValueError(
            f"{name} must be a scalar or of shape [B] = {list(batch or [])}, got {shape}"
        )
    if not isinstance(t, jax.core.Tracer) and jnp.size(t) > 0:
        if int(jnp.min(t)) < low or int(jnp.max(t)) > T:
            raise ValueError(f"{name} must lie in {allowed}, got {t}")


def extract(a, t, like):
    """``a[t]`` reshaped to broadcast against ``like``: [B] → [B, 1, …, 1] (scalar t: scalar).

    Args:
        a: a schedule array, shape [T + 1].
        t: step index, scalar or shape [B].
        like: the data, shape [B, ...].

    Copy with: nothing.
    """
    a_t = a[t]
    return jnp.reshape(a_t, a_t.shape + (1,) * (jnp.ndim(like) - a_t.ndim))
