"""The continuous-time view: the variance-preserving SDE, its reverse, and the probability-flow ODE.

Every ``drift_fn`` below is a velocity ``drift_fn(x [B, D], s) -> [B, D]`` (callables are not
annotated so that each function can be copied alone into a file that imports only jax).

Time here is continuous, s ∈ [0, 1] (s = 0 is the data, s = 1 is noise), because the
SDE and ODE are differential equations in time; the rest of the package counts steps
t = 1..T.  One function converts: ``vp_schedule`` samples the continuous schedule at
s = t / T, giving the usual arrays of length T + 1 (``alpha_bars[t]`` = ᾱ(t/T)), so the
discrete samplers and a network trained on steps t share the ODE's noise levels.

The VP SDE (Song et al. 2021, eq. 11) with β(s) = β_min + s (β_max - β_min):
    dx = -½ β(s) x ds + √β(s) dW,
whose Euler–Maruyama step x + (-½β x) Δs + √(β Δs) z is the forward step
√(1-β_t) x + √β_t z of notebook 03 to first order in β_t = β(s) Δs.
"""

import math

import jax
import jax.numpy as jnp

from diffusion_lite.core.schedules import Schedule, make_schedule


def vp_alpha_bar(s, beta_min: float = 0.1, beta_max: float = 20.0):
    """ᾱ(s), the signal kept by the VP SDE up to time s: q(x_s | x_0) = N(√ᾱ(s) x_0, (1-ᾱ(s)) I).

    Math (Song et al. 2021, eq. 29):
        ᾱ(s) = exp( -∫_0^s β(u) du ) = exp( -β_min s - ½ (β_max - β_min) s² ).

    Args:
        s: time(s) in [0, 1], any shape.
        beta_min, beta_max: 0 < β_min ≤ β_max.

    Copy with: nothing (only ``jax.numpy``).
    """
    if not 0 < beta_min <= beta_max:
        raise ValueError(f"need 0 < beta_min <= beta_max, got {beta_min}, {beta_max}")
    return jnp.exp(-beta_min * s - 0.5 * (beta_max - beta_min) * s**2)


def vp_schedule(T: int, beta_min: float = 0.1, beta_max: float = 20.0, dtype=None) -> "Schedule":
    """The one place that converts continuous time to steps: ᾱ_t = ᾱ(t / T), t = 0..T.

    Math:
        alpha_bars[t] = ᾱ(t/T),   betas[t] = 1 - ᾱ_t / ᾱ_{t-1} ≈ β(t/T) / T,   betas[0] = 0,
    with log ᾱ(s) = -β_min s - ½ (β_max - β_min) s², computed in float64 (``math.expm1``).

    Args:
        T: number of steps, >= 1.
        beta_min, beta_max: as in ``vp_alpha_bar``.
        dtype: of the arrays, as in ``make_schedule`` (default float32).

    Returns:
        a ``Schedule`` (``make_schedule`` of these betas), arrays of shape [T + 1].

    Copy with: ``make_schedule``, ``import math``.
    """
    if isinstance(T, bool) or not isinstance(T, int) or T < 1:
        raise ValueError(f"T must be an integer >= 1, got {T}")
    if not 0 < beta_min <= beta_max:
        raise ValueError(f"need 0 < beta_min <= beta_max, got {beta_min}, {beta_max}")
    log_ab = [
        -beta_min * (t / T) - 0.5 * (beta_max - beta_min) * (t / T) ** 2 for t in range(T + 1)
    ]
    betas = [0.0] + [-math.expm1(log_ab[t] - log_ab[t - 1]) for t in range(1, T + 1)]
    return make_schedule(betas, dtype)


def sde_drift_diffusion(x, s, beta_min: float = 0.1, beta_max: float = 20.0):
    """Drift f(x, s) and diffusion g(s) of the forward VP SDE dx = f ds + g dW.

    Math (Song et al. 2021, eq. 11):
        f(x, s) = -½ β(s) x,   g(s) = √β(s),   β(s) = β_min + s (β_max - β_min).

    Copy with: nothing (only ``jax.numpy``).
    """
    beta = beta_min + s * (beta_max - beta_min)
    return -0.5 * beta * x, jnp.sqrt(beta)


def reverse_sde_drift(x, s, score, beta_min: float = 0.1, beta_max: float = 20.0):
    """Drift of the reverse-time SDE, which runs the forward one backwards in law.

    Math (Anderson 1982; Song et al. 2021, eq. 6):
        dx = [ f(x, s) - g(s)² ∇_x log q_s(x) ] ds + g(s) dW̄,   s running from 1 to 0.

    Args:
        x: shape [B, D];  s: time in [0, 1];  score: ∇ log q_s(x), shape [B, D].

    Copy with: nothing (only ``jax.numpy``).
    """
    beta = beta_min + s * (beta_max - beta_min)
    return -0.5 * beta * x - beta * score


def reverse_sde_step(x, s, s_next, score, z, beta_min: float = 0.1, beta_max: float = 20.0):
    """One Euler–Maruyama step of the reverse SDE from s down to s_next < s.

    Math (h = s - s_next > 0):
        x(s_next) ≈ x - h [ f(x, s) - g(s)² ∇ log q_s(x) ] + g(s) √h z,   z ~ N(0, I).

    Args:
        x, score, z: shape [B, D];  s, s_next: times with 0 ≤ s_next < s ≤ 1.

    Copy with: nothing (only ``jax.numpy``).
    """
    beta = beta_min + s * (beta_max - beta_min)
    h = s - s_next
    return x - h * (-0.5 * beta * x - beta * score) + jnp.sqrt(beta * h) * z


def ode_drift(x, s, score, beta_min: float = 0.1, beta_max: float = 20.0):
    """Velocity of the probability-flow ODE: a deterministic path with the SDE's marginals q_s.

    Math (Song et al. 2021, eq. 13):
        dx/ds = f(x, s) - ½ g(s)² ∇_x log q_s(x) = -½ β(s) ( x + ∇_x log q_s(x) ).

    Copy with: nothing (only ``jax.numpy``).
    """
    beta = beta_min + s * (beta_max - beta_min)
    return -0.5 * beta * (x + score)


def ode_drift_from_eps(x, s, eps_hat, beta_min: float = 0.1, beta_max: float = 20.0):
    """The probability-flow velocity from a noise prediction ε̂ instead of the score.

    Math (Tweedie, notebook 07: ∇ log q_s(x) = -ε*(x, s) / √(1 - ᾱ(s))):
        dx/ds = -½ β(s) ( x - ε̂ / √(1 - ᾱ(s)) ),   defined for s > 0.

    Args:
        x: shape [B, D];  s: time in (0, 1];  eps_hat: ε̂(x, s), shape [B, D].

    Copy with: nothing (only ``jax.numpy``).
    """
    if not isinstance(s, jax.core.Tracer) and not bool(jnp.all((s > 0) & (s <= 1))):
        raise ValueError(f"s must lie in (0, 1] (ε̂ says nothing at s = 0), got {s}")
    beta = beta_min + s * (beta_max - beta_min)
    alpha_bar = jnp.exp(-beta_min * s - 0.5 * (beta_max - beta_min) * s**2)
    return -0.5 * beta * (x - eps_hat / jnp.sqrt(1.0 - alpha_bar))


def euler_step(drift_fn, x, s, s_next):
    """One Euler step of dx/ds = v(x, s) from s to s_next (either direction); 1 evaluation.

    Math:
        x(s_next) ≈ x + h v(x, s),   h = s_next - s   (local error O(h²), global O(h)).

    Copy with: nothing (only ``jax.numpy``).
    """
    return x + (s_next - s) * drift_fn(x, s)


def heun_step(drift_fn, x, s, s_next):
    """One Heun step (explicit trapezoid) of dx/ds = v(x, s); 2 evaluations.

    Math (Karras et al. 2022, Algorithm 1):
        x̃ = x + h v(x, s),   x(s_next) ≈ x + h/2 [ v(x, s) + v(x̃, s_next) ]   (global O(h²)).

    Copy with: nothing (only ``jax.numpy``).
    """
    h = s_next - s
    v = drift_fn(x, s)
    return x + 0.5 * h * (v + drift_fn(x + h * v, s_next))


def solve_ode(step, drift_fn, x, times):
    """Integrate dx/ds = v(x, s) through ``times`` with ``step`` (``euler_step``/``heun_step``).

    Args:
        step: ``step(drift_fn, x, s, s_next) -> x_next``.
        drift_fn: ``drift_fn(x [B, D], s) -> [B, D]``.
        x: the state at ``times[0]``, shape [B, D].
        times: increasing (data → noise) or decreasing (noise → data), shape [N + 1].

    Returns:
        x at ``times[-1]``, shape [B, D].

    Copy with: nothing (only ``jax.numpy``).
    """
    times = jnp.asarray(times)
    if times.ndim != 1 or times.shape[0] < 2:
        raise ValueError(f"times must be 1-D with at least 2 entries, got shape {times.shape}")
    pairs = jnp.stack([times[:-1], times[1:]], axis=1)
    x, _ = jax.lax.scan(lambda x, p: (step(drift_fn, x, p[0], p[1]), None), x, pairs)
    return x


def ode_log_likelihood(drift_fn, x0, times):
    """Carry x from data to noise along the ODE and accumulate the log-density change (Heun).

    Math (instantaneous change of variables: Chen et al. 2018, thm. 1; Song et al. 2021, eq. 39):
        d/ds log p_s(x(s)) = -∇·v(x(s), s)   ⇒   log p_0(x_0) = log p_1(x_1) + ∫_0^1 ∇·v ds,
    with the divergence ∇·v = tr ∂v/∂x computed exactly by ``jax.jacfwd`` (D small).

    Args:
        drift_fn: the ODE velocity ``drift_fn(x [B, D], s) -> [B, D]``.
        x0: data, shape [B, D].
        times: increasing from the data time to the noise time, shape [N + 1].

    Returns:
        ``(x_1, delta)``: the end points [B, D] and ∫ ∇·v ds [B]; add log p_1(x_1) for log p_0.

    Copy with: nothing (only ``jax.numpy``).
    """
    times = jnp.asarray(times)
    if times.ndim != 1 or times.shape[0] < 2:
        raise ValueError(f"times must be 1-D with at least 2 entries, got shape {times.shape}")
    if not isinstance(times, jax.core.Tracer) and not bool(jnp.all(jnp.diff(times) > 0)):
        raise ValueError(f"times must increase (data → noise), got {times}")

    def velocity(state, s):  # the augmented ODE d/ds (x, l) = (v, ∇·v)
        x = state[:, :-1]
        jac = jax.vmap(jax.jacfwd(lambda xi: drift_fn(xi[None], s)[0]))(x)  # [B, D, D]
        return jnp.concatenate([drift_fn(x, s), jnp.trace(jac, axis1=1, axis2=2)[:, None]], 1)

    def heun(state, pair):
        h, v = pair[1] - pair[0], velocity(state, pair[0])
        return state + 0.5 * h * (v + velocity(state + h * v, pair[1])), None

    state = jnp.concatenate([x0, jnp.zeros((x0.shape[0], 1), x0.dtype)], axis=1)
    state, _ = jax.lax.scan(heun, state, jnp.stack([times[:-1], times[1:]], axis=1))
    return state[:, :-1], state[:, -1]
