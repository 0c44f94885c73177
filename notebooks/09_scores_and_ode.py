# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 09 · Scores, Langevin dynamics and the probability-flow ODE, with exact answers
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/09_scores_and_ode.ipynb)
#
# Notebook 07 met the **score** ∇ log q_t(x) only through Tweedie's formula, and notebook 04
# mentioned the lecture's "solving an SDE" only as a footnote. Here both become the main
# characters, on a 2-D toy whose every noisy marginal q_t is known **exactly**, so each
# learned or approximated quantity can be compared with the truth:
#
# 1. the score of a diffused ring of 8 Gaussians as a vector field, and ε* = -√(1-ᾱ_t) ∇ log q_t;
# 2. **Langevin dynamics** with the exact score, at one noise level and **annealed** over
#    many (why annealing: the empty regions between modes);
# 3. the **continuous-time limit**: the forward chain of 03–04 as a variance-preserving SDE, the
#    reverse SDE, and the deterministic **probability-flow ODE**; DDIM (η = 0) as its
#    discretisation; an invertible map data ↔ noise (the lecture's "diffusion vs flow", claim 11);
# 4. the **exact log-likelihood** through the ODE, against the true log p and the ELBO of 06;
# 5. a small MLP ε-model: its score field against the exact one, and four samplers at equal
#    numbers of network evaluations.

# %%
# Colab only: install diffusion_lite (does nothing when run locally).
import sys

if "google.colab" in sys.modules:
    # %pip install -q "diffusion_lite @ git+https://github.com/diffusion-lite/diffusion_lite"

# %%
import time

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
from flax import nnx

from diffusion_lite.core import elbo, ode, sampling, scores
from diffusion_lite.exercises import nb09, nb09_predict
from diffusion_lite.models.mlp import MLPEps
from diffusion_lite.plots import toy2d_plots
from diffusion_lite.toys import metrics2d
from diffusion_lite.toys.toy_training import fit

# %%
np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# The data: 8 narrow Gaussians (std 0.1) on a circle of radius 2, with **unequal weights**
# 3 : 1 : 3 : 1 … (heavy modes 0.1875, light ones 0.0625), so a sampler must find the modes
# *and* their masses. Time is continuous, s ∈ [0, 1], with ᾱ(s) = exp(-∫₀ˢ β) of the VP SDE
# (β from 0.1 to 20, Song et al. 2021); `ode.vp_schedule` samples it at s = t/T, T = 1000,
# into the usual arrays of length T + 1, so the discrete samplers of 07 run on the same
# levels. Samplers are scored by the squared maximum mean discrepancy (MMD², Gaussian kernel
# of width 0.2) between 2000 samples and the **exact** density, which a Gaussian kernel
# integrates in closed form (`metrics2d.mmd2_to_mixture`): exact samples score 0 up to a
# noise of a few tenths × 10⁻³ (printed below); wrong masses or points between modes score more.

# %%
ring = scores.ring_mixture(8, radius=2.0, std=0.1, weights=jnp.array([3.0, 1.0] * 4) / 16)
weights, means, stds = ring
T = 1000
schedule = ode.vp_schedule(T)  # a Schedule: alpha_bars[t] = ᾱ(t/T), betas[t] = 1 - ᾱ_t/ᾱ_{t-1}
betas, alpha_bars = schedule.betas, schedule.alpha_bars


def mmd(x):  # MMD² between samples x [N, 2] and the exact ring, in units of 10⁻³
    return 1e3 * float(metrics2d.mmd2_to_mixture(x, *ring))


exact_draws = [mmd(scores.mixture2d_sample(jax.random.key(k), 2000, *ring)[0]) for k in range(5)]
print(f"MMD² × 10³ of five exact draws of 2000: {np.round(exact_draws, 2)}")

# %% [markdown]
# ## 1. The score of every noisy marginal, exactly
#
# q_t is again a mixture, Σ_k w_k N(√ᾱ_t μ_k, (ᾱ_t s_k² + 1 - ᾱ_t) I), so its score is
# Σ_k r_k(x) (m_k - x) / v_k with the responsibilities r_k(x) = p(k | x). The cell writes
# it out and checks it twice: against `scores.mixture2d_score` and against `jax.grad` of the
# exact log-density (an independent route). Look for agreement to float32 round-off.

# %%
def score_by_hand(x, alpha_bar):
    m, v = jnp.sqrt(alpha_bar) * means, alpha_bar * stds**2 + 1 - alpha_bar  # [K, 2], [K]
    log_r = jnp.log(weights) - 0.5 * jnp.sum((x[:, None] - m) ** 2, -1) / v - jnp.log(v)
    r = jax.nn.softmax(log_r, axis=-1)  # p(k | x), [B, K]
    return jnp.sum((r / v)[..., None] * (m - x[:, None]), axis=1)  # [B, 2]


x_probe = jax.random.uniform(jax.random.key(3), (500, 2), minval=-3, maxval=3)
for t in (1, 100, 500):
    q_t = scores.diffuse_mixture2d(*ring, alpha_bars[t])
    by_grad = jax.vmap(jax.grad(scores.mixture2d_logpdf), (0, None, None, None))(x_probe, *q_t)
    mine = score_by_hand(x_probe, alpha_bars[t])
    np.testing.assert_allclose(mine, scores.mixture2d_score(x_probe, *q_t), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(mine, by_grad, rtol=1e-3, atol=1e-2)
print("score by hand = scores.mixture2d_score = jax.grad(log q_t) at t = 1, 100, 500")

# %% [markdown]
# The field at three noise levels over the density (darker = more mass). Arrows show the
# direction of ∇ log q_s, their colour its length (log scale). Look for: at s = 0.05 each
# arrow points to its *nearest* mode, and the field is strong everywhere off the modes; along
# the lines between two modes the arrows split sharply. By s = 0.5 the modes have merged and
# the field points gently to one blob at the centre.

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 4.3), layout="constrained")
for ax, t in zip(axes, (50, 200, 500), strict=True):
    q_t = scores.diffuse_mixture2d(*ring, alpha_bars[t])
    title = rf"$\nabla \log q_s$ at s = {t / T:.2f} ($\bar\alpha$ = {float(alpha_bars[t]):.2f})"
    arrows = toy2d_plots.plot_score_field(
        ax, lambda x, q_t=q_t: scores.mixture2d_score(x, *q_t), q_t, title=title
    )
label = r"$\log_{10} \|\nabla \log q_s\|$ (arrow colour)"
fig.colorbar(arrows, ax=axes, label=label, shrink=0.9)
plt.show()

# %% [markdown]
# **ε\* from the score, checked by Bayes.** Notebook 07's Tweedie formula says the best noise
# prediction is ε*(x_t) = E[ε | x_t] = -√(1-ᾱ_t) ∇ log q_t(x_t). An independent check that
# never touches the score: draw 200 000 x_0 from the data, weight each by q(x_t | x_0)
# (Bayes' rule over samples) and average the ε each one implies. Look for agreement to about
# 0.01 (Monte Carlo error).

# %%
x0_pool = scores.mixture2d_sample(jax.random.key(4), 200_000, *ring)[0]
x_t = jnp.array([[1.2, 0.3], [-0.5, 1.6], [0.0, 0.0], [2.5, -2.0]])
for t in (150, 400):
    ab = alpha_bars[t]
    eps_each = (x_t[:, None] - jnp.sqrt(ab) * x0_pool) / jnp.sqrt(1 - ab)  # [4, N, 2]
    posterior = jax.nn.softmax(-0.5 * jnp.sum(eps_each**2, -1), axis=1)  # p(x_0 | x_t), [4, N]
    eps_bayes = jnp.sum(posterior[..., None] * eps_each, axis=1)
    eps_tweedie = -jnp.sqrt(1 - ab) * score_by_hand(x_t, ab)
    np.testing.assert_allclose(eps_tweedie, scores.mixture2d_eps_star(x_t, ab, *ring), atol=1e-5)
    print(
        f"t = {t}: max |Bayes - Tweedie| = {float(jnp.max(jnp.abs(eps_bayes - eps_tweedie))):.3f}"
    )

# %% [markdown]
# ## 2. Langevin dynamics: sampling with nothing but the score
#
# If you know ∇ log p, you can sample p without ever normalising it (Song & Ermon 2019):
#
# $$x_{k+1} = x_k + \tfrac{\delta}{2}\,\nabla\log p(x_k) + \sqrt{\delta}\, z_k,\qquad z_k\sim\mathcal N(0, I).$$
#
# The drift climbs the density, the noise keeps the chain from collapsing onto the peaks;
# for small δ and many steps the chain's law is p. We run 2000 chains from N(0, I) with the
# **exact** score two ways, 1000 steps each: *plain*, at the lowest noise level t = 1 (that
# is, the data), and *annealed*, 50 steps at each of 20 levels from t = T down to t = 1. At
# each level the step size is 0.1 × the variance of one mode there.

# %%
levels = np.round(np.geomspace(T, 1, 20)).astype(int)  # noisiest first
level_ab = alpha_bars[levels]
step_sizes = 0.1 * (level_ab * stds[0] ** 2 + 1 - level_ab)  # δ_i, [20]


def level_score(x, i):
    return scores.mixture2d_score(x, *scores.diffuse_mixture2d(*ring, level_ab[i]))


x_init = jax.random.normal(jax.random.key(5), (2000, 2))
annealed = scores.annealed_langevin(jax.random.key(6), level_score, x_init, step_sizes, 50)
plain = scores.annealed_langevin(
    jax.random.key(6), lambda x, i: level_score(x, 19), x_init, step_sizes[-1:], 1000
)
print(f"δ from {float(step_sizes[0]):.3f} (t = {levels[0]}) to {float(step_sizes[-1]):.4f} (t = 1)")

# %% [markdown]
# Mode by mode: the share of the 2000 samples within 3 std of each mode, against its weight.
# A mode is *reached* when it gets at least a quarter of its weight (notebook 01's coverage
# count), and has the *right mass* when its share is within 30 % of its weight. Look for:
# both samplers reach all 8 modes, but plain Langevin gives every mode about 1/8 (the light
# ones twice too much, the heavy ones a third too little); the annealed chains get 3 : 1.

# %%
def coverage(x):
    share = np.asarray(metrics2d.mode_shares(x, means, stds))
    reached, right = np.sum(share >= 0.25 * weights), np.sum(np.abs(share / weights - 1) <= 0.3)
    return share, int(reached), int(right), 0.5 * float(np.abs(share - weights).sum())


print("mode            |" + "".join(f"{k:7d}" for k in range(8)))
print("weight w_k      |" + "".join(f"{w:7.3f}" for w in np.asarray(weights)))
for name, x in (("plain Langevin", plain), ("annealed", annealed)):
    share, reached, right, tv = coverage(x)
    print(f"{name:15s} |" + "".join(f"{f:7.3f}" for f in share))
    print(f"{'':15s} | modes reached {reached}/8, with the right mass {right}/8, TV {tv:.3f}")

# %% [markdown]
# The samples on the true modes, each mode drawn with an area proportional to its weight.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
toy2d_plots.plot_samples_2d(axes[0], plain, weights, means, "plain Langevin at t = 1")
toy2d_plots.plot_samples_2d(axes[1], annealed, weights, means, "annealed Langevin, 20 levels")
axes[0].set_ylabel("$x_2$")
axes[0].legend(loc="center", fontsize=8)
plt.show()

# %% [markdown]
# **Why annealing.** A chain moves between modes only by crossing the empty region between
# them, where log q is far below its peaks; the time to cross grows like exp(barrier). The
# cell prints that barrier, log q(light mode's centre) - log q(midpoint to its heavy
# neighbour), at several levels. Look for almost 30 nats at the data level (e²⁷ steps:
# never), a few nats by s = 0.06, and none at all by s = 0.2 (negative: the modes have merged
# into one ring). Plain Langevin therefore keeps whatever split between modes its starting
# points had (≈ 1/8 each); annealing lets the chains move mass while crossing is cheap, then
# sharpens.

# %%
for t in (1, 10, 30, 60, 100, 200):
    q_t = scores.diffuse_mixture2d(*ring, alpha_bars[t])
    centre, midpoint = q_t[1][1], 0.5 * (q_t[1][0] + q_t[1][1])
    barrier = scores.mixture2d_logpdf(centre, *q_t) - scores.mixture2d_logpdf(midpoint, *q_t)
    print(f"t = {t:3d} (s = {t / T:.3f}): barrier {float(barrier):6.2f} nats")

# %% [markdown]
# ## 3. The continuous-time limit: one SDE, its reverse, and a deterministic ODE
#
# The lecture says the diffusion kernel comes from "solving an SDE". Here is that SDE. Write
# β_t = β(s) Δs with Δs = 1/T and s = t/T. One forward step of notebook 03 is then
#
# $$x_t = \sqrt{1-\beta_t}\,x_{t-1} + \sqrt{\beta_t}\,\varepsilon
#      = x_{t-1} - \tfrac12\beta(s)\,x_{t-1}\,\Delta s + \sqrt{\beta(s)}\,\sqrt{\Delta s}\,\varepsilon + O(\Delta s^2),$$
#
# an Euler–Maruyama step of the **variance-preserving SDE** dx = -½β(s) x ds + √β(s) dW
# (Song et al. 2021). Its kernel is q(x_s | x_0) = N(√ᾱ(s) x_0, (1-ᾱ(s)) I) with
# ᾱ(s) = exp(-∫₀ˢ β). The cell takes Ho et al.'s linear schedule with T steps
# (β_t from 0.1/T to 20/T) and compares the chain's ∏(1-β_t) with the SDE's ᾱ(t/T). Look for
# the gap shrinking tenfold with every tenfold T: the chain *converges* to the SDE.

# %%
print("     T | max_t |∏(1-β_s) - ᾱ(t/T)|")
for n_steps in (100, 1000, 10_000, 100_000):
    chain = np.cumprod(1 - np.linspace(0.1 / n_steps, 20 / n_steps, n_steps))  # float64, [T]
    sde = np.exp(-0.1 * (s := np.arange(1, n_steps + 1) / n_steps) - 0.5 * 19.9 * s**2)
    np.testing.assert_allclose(sde, ode.vp_alpha_bar(s), rtol=1e-5)
    print(f"{n_steps:6d} | {np.max(np.abs(chain - sde)):.1e}")

# %% [markdown]
# **Running it backwards.** Anderson (1982) showed that the reverse-time SDE
# dx = [f - g² ∇ log q_s] ds + g dW̄, run from s = 1 down to 0, has the same marginals q_s.
# Song et al. (2021) found a **deterministic** path with the same marginals too, the
# **probability-flow ODE**
#
# $$\frac{dx}{ds} = f(x, s) - \tfrac12 g(s)^2\,\nabla\log q_s(x) = -\tfrac12\beta(s)\big(x + \nabla\log q_s(x)\big).$$
#
# The helper `run` applies a jitted step along a grid of times and keeps every state. Below,
# 2000 points of N(0, I) run both ways with the exact score: the reverse SDE with 500
# Euler–Maruyama steps, the ODE with 100 Heun steps.

# %%
def run(step, x, times):
    """States at every entry of ``times`` when step(x, a, b) moves x from time a to time b."""
    xs = [x]
    for a, b in zip(times[:-1], times[1:], strict=True):
        xs.append(step(xs[-1], a, b))
    return jnp.stack(xs)  # [len(times), *x.shape]


def exact_score(x, s):
    return scores.mixture2d_score(x, *scores.diffuse_mixture2d(*ring, ode.vp_alpha_bar(s)))


def exact_drift(x, s):  # the probability-flow velocity with the exact score
    return ode.ode_drift(x, s, exact_score(x, s))

# %% [markdown]
# Look for: the SDE paths jitter, the ODE paths are smooth curves; both end on the data
# distribution with the right masses, and an MMD² within the noise of exact samples.

# %%
def sde_step(x, s, s_next):
    z = jax.random.normal(jax.random.fold_in(jax.random.key(8), jnp.round(s * T)), x.shape)
    return ode.reverse_sde_step(x, s, s_next, exact_score(x, s), z)


heun = jax.jit(lambda x, s, s_next: ode.heun_step(exact_drift, x, s, s_next))
x_T = jax.random.normal(jax.random.key(7), (2000, 2))
paths = {
    "reverse SDE, 500 Euler–Maruyama steps": run(jax.jit(sde_step), x_T, np.linspace(1, 0, 501)),
    "probability-flow ODE, 100 Heun steps": run(heun, x_T, np.linspace(1, 0, 101)),
}
for name, path in paths.items():
    print(
        f"{name}: MMD² × 10³ {mmd(path[-1]):.2f}, modes with the right mass {coverage(path[-1])[2]}/8"
    )

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
for ax, (name, path) in zip(axes, paths.items(), strict=True):
    toy2d_plots.plot_paths(ax, path, n_paths=10, title=name)
axes[0].set_ylabel("$x_2$")
axes[0].legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# **DDIM is the ODE, discretised.** Divide DDIM's η = 0 step (notebook 07) by √ᾱ and write
# σ = √((1-ᾱ)/ᾱ): it becomes y_prev = y_t + (σ_prev - σ_t) ε̂ for y = x/√ᾱ, one Euler step of
# dy/dσ = ε̂ (Song et al. 2021, DDIM §4.3; Karras et al. 2022), and that equation is the
# probability-flow ODE in other coordinates. So DDIM with more and more steps must converge
# to the ODE's solution. The cell starts 1000 points from the same x_T and compares DDIM
# (exact ε*, N steps on the t-grid), Euler and Heun in s (N steps each) with a 1000-step Heun
# solution. Look for all three errors falling towards 0: DDIM and Euler about tenfold per
# tenfold N (first order), Heun much faster (second order).

# %%
def eps_exact(x, t):
    return scores.mixture2d_eps_star(x, alpha_bars[t], *ring)


x_T, zero = x_T[:1000], jnp.zeros((1000, 2))
ddim = jax.jit(lambda x, t, tp: sampling.ddim_step(x, t, tp, eps_exact(x, t), zero, schedule))
euler = jax.jit(lambda x, s, s_next: ode.euler_step(exact_drift, x, s, s_next))
ode_end = run(heun, x_T, np.linspace(1, 0, 1001))[-1]
print("    N | mean ‖x_N - x_ODE‖:  DDIM η=0   Euler    Heun")
for n in (10, 30, 100, 300):
    taus = sampling.ddim_timesteps(T, n)
    ends = [run(ddim, x_T, taus)[-1], run(euler, x_T, taus / T)[-1], run(heun, x_T, taus / T)[-1]]
    errors = [float(jnp.mean(jnp.linalg.norm(x - ode_end, axis=1))) for x in ends]
    print(f"{n:5d} |                     " + "  ".join(f"{e:7.4f}" for e in errors))

# %% [markdown]
# **A deterministic, invertible map data ↔ noise.** Run the ODE forwards (s: 0 → 1) from
# 2000 data points and backwards again. Look for: the end points x_1 are standard normal
# (mean ≈ 0, covariance ≈ I), each mode's points fill a wedge of the Gaussian whose angle is
# proportional to the mode's weight, and the round trip returns every point to within
# a few 10⁻³ (the solver's error, 200 Heun steps each way). The lecture contrasts diffusion (a stochastic Bayesian
# network) with flows (deterministic transformations, claim 11): both are true of the *same*
# model. The SDE is one way to sample it; the ODE makes it a continuous normalising flow.

# %%
x0, k0 = scores.mixture2d_sample(jax.random.key(9), 2000, *ring)
x1 = run(heun, x0, np.linspace(0, 1, 201))[-1]
back = run(heun, x1, np.linspace(1, 0, 201))[-1]
print(f"x_1: mean {np.round(x1.mean(0), 2)}, covariance {np.round(jnp.cov(x1.T), 2).ravel()}")
print(f"round trip x_0 → x_1 → x_0: max error {float(jnp.max(jnp.abs(back - x0))):.0e}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
panels = ((axes[0], x0, "data $x_0$ (colour = mode)"), (axes[1], x1, "its ODE image $x_1$"))
for ax, x, title in panels:
    ax.scatter(*np.asarray(x).T, c=np.asarray(k0), cmap="tab10", s=3)
    ax.set(title=title, xlabel="$x_1$", xlim=(-3.5, 3.5), ylim=(-3.5, 3.5), aspect="equal")
axes[0].set_ylabel("$x_2$")
plt.show()

# %% [markdown]
# ## 4. The exact log-likelihood through the ODE
#
# A flow gives exact likelihoods by the change of variables. For an ODE it is the
# *instantaneous* change of variables (Chen et al. 2018):
# d log p_s(x(s))/ds = -∇·v(x(s), s), so
#
# $$\log q_0(x_0) = \log q_1(x_1) + \int_0^1 \nabla\cdot v(x(s), s)\,ds .$$
#
# In 2-D the divergence is the trace of a 2×2 Jacobian, computed exactly by `jax.jacfwd`
# (FFJORD, Grathwohl et al. 2019, estimates it with random projections in high dimension).
# `ode.ode_log_likelihood` integrates x and the log-density together with 200 Heun steps.
# With the exact score, look for the ODE's log-likelihood matching the true log p to about
# 0.01 nats on average (a few hundredths at worst, point by point). The last line is
# notebook 06's bound for the ideal ε*: -ELBO ≥ -log p, here a few hundredths of a nat above.

# %%
x_nll = x0[:1000]
loglik = jax.jit(lambda drift, x, times: ode.ode_log_likelihood(drift, x, times), static_argnums=0)
x1, delta = loglik(exact_drift, x_nll, jnp.linspace(0.0, 1.0, 201))
ode_exact = scores.mixture2d_logpdf(x1, *scores.diffuse_mixture2d(*ring, alpha_bars[T])) + delta
truth = scores.mixture2d_logpdf(x_nll, *ring)
print(f"true  -log p(x_0), mean over 1000 points:  {-float(truth.mean()):.3f} nats")
print(f"ODE (exact score) -log q_0(x_0):           {-float(ode_exact.mean()):.3f} nats")
print(
    f"max |ODE - true| over the points:          {float(jnp.max(jnp.abs(ode_exact - truth))):.3f} nats"
)
eps_star = jax.vmap(lambda x, t: scores.mixture2d_eps_star(x, alpha_bars[t], *ring))  # t: [B]
bound = elbo.nll_bound(jax.random.key(10), eps_star, x_nll, schedule).total()  # [1000]
print(f"-ELBO of the exact ε* (notebook 06):       {float(bound.mean()):.3f} nats")

# %% [markdown]
# ## 5. A learned ε-model, compared with the truth
#
# Now the score is *learned*: the MLP of notebook 07 (`MLPEps`, three hidden layers of 128
# SiLU units, sin/cos features of x_t and of t), trained with L_simple on 10 000 ring points
# at the levels t = 1..T of `vp_schedule`, 3000 Adam steps of 256 examples in one
# jit-compiled loop. The printed time and loss are this machine's run (float results of
# training differ between CPUs); the claims they support are asserted in code below.

# %%
# NBVAL_IGNORE_OUTPUT
model = MLPEps(data_dim=2, hidden=128, rngs=nnx.Rngs(0))
x_train = scores.mixture2d_sample(jax.random.key(11), 10_000, *ring)[0]  # [10000, 2]
start = time.perf_counter()
losses = fit(jax.random.key(12), model, x_train, schedule, num_steps=3000, batch_size=256)
jax.block_until_ready(losses)
print(f"3000 Adam steps (incl. compilation): {time.perf_counter() - start:.1f} s")
print(f"L_simple, mean of the last 300 mini-batches: {float(losses[-300:].mean()):.3f}")
model_eps = jax.jit(lambda x, t: model(x, jnp.full((x.shape[0],), t)))  # weights as constants

# %% [markdown]
# **Learned vs exact score field** at s = 0.1, where the modes are still separate. The network
# predicts ε; its score is -ε_θ / √(1-ᾱ). The right panel maps the error |ε_θ - ε*| (white
# lines: contours of q_s). Look for small errors where q_s has mass and larger ones far out,
# in the corners and the centre, where no training point x_t ever landed. The next cell
# prints the root-mean-square error √E‖ε_θ - ε*‖² at three levels, over 2000 draws of
# x_t ~ q_t (where the loss looks); for scale, ‖ε‖ itself is about √2.

# %%
q_show, c = scores.diffuse_mixture2d(*ring, alpha_bars[100]), -1 / jnp.sqrt(1 - alpha_bars[100])
learned = r"learned score $-\varepsilon_\theta / \sqrt{1 - \bar\alpha}$, s = 0.1"
fields = {
    "exact score, s = 0.1": lambda x: scores.mixture2d_score(x, *q_show),
    learned: lambda x: c * model_eps(x, 100),
}
fig, axes = plt.subplots(1, 3, figsize=(14, 4.3), layout="constrained")
for ax, (title, field) in zip(axes, fields.items(), strict=False):
    toy2d_plots.plot_score_field(ax, field, q_show, title=title)
error = lambda x: jnp.linalg.norm(model_eps(x, 100) - eps_exact(x, 100), axis=1)  # noqa: E731
err_text = r"$\|\varepsilon_\theta - \varepsilon^*\|$"
title = err_text + ", s = 0.1 (white: $q_s$)"
image = toy2d_plots.plot_error_map(axes[2], error, q_show, title=title)
fig.colorbar(image, ax=axes[2], label=err_text + " at s = 0.1")
plt.show()

# %%
# NBVAL_IGNORE_OUTPUT
rms = {}
for t in (10, 100, 500):
    x = scores.mixture2d_sample(
        jax.random.key(t), 2000, *scores.diffuse_mixture2d(*ring, alpha_bars[t])
    )[0]
    rms[t] = float(jnp.sqrt(jnp.mean(jnp.sum((model_eps(x, t) - eps_exact(x, t)) ** 2, axis=1))))
    print(f"t = {t:3d}: RMS ‖ε_θ - ε*‖ over x_t ~ q_t = {rms[t]:.3f}")

# %% [markdown]
# The claim, checked with margins that hold for any training run on any CPU: where the data
# are, the learned ε is within a small fraction of ‖ε‖ ≈ √2 of the exact one at every level.

# %%
assert max(rms.values()) < 0.5, rms
print("learned ε within 0.5 RMS of ε* at t = 10, 100, 500")

# %% [markdown]
# The learned model as a density. Its ODE (with ε_θ in place of ε*, from s = 0.001 where
# training starts) defines a flow with an exact log-likelihood, and the same network also
# defines the stochastic chain of notebooks 05–07, whose -ELBO bounds *its* -log p. Two
# different models from one network; both should land within a few tenths of a nat of the
# truth, and neither can beat it on average (cross-entropy ≥ entropy), up to Monte Carlo
# error.

# %%
# NBVAL_IGNORE_OUTPUT
def model_drift(x, s):
    return ode.ode_drift_from_eps(x, s, model(x, jnp.full((x.shape[0],), s * T)))


x1, delta = loglik(model_drift, x_nll, jnp.linspace(1 / T, 1.0, 201))
ode_model = -float((delta - 0.5 * jnp.sum(x1**2, 1) - jnp.log(2 * jnp.pi)).mean())  # N(0, I) prior
bound_model = elbo.nll_bound(jax.random.key(10), model, x_nll, schedule).total()
elbo_model, elbo_se = float(bound_model.mean()), float(bound_model.std()) / np.sqrt(1000)
print(
    f"true -log p: {-float(truth.mean()):.3f} | ODE -log p_θ: {ode_model:.3f} | -ELBO: {elbo_model:.3f} ± {elbo_se:.3f} nats"
)


# %%
nll_true = -float(truth.mean())  # the learned model's -log p_θ and -ELBO: above the truth
assert nll_true - 0.05 < ode_model < nll_true + 1.0, (ode_model, nll_true)  # (up to MC error)
assert nll_true - 3 * elbo_se < elbo_model < nll_true + 1.0, (elbo_model, nll_true)
print("checked: the model's ODE -log p_θ and -ELBO lie above the true -log p, within 1 nat")

# %% [markdown]
# **Samplers at equal cost.** What matters in practice is quality per network evaluation
# (NFE). Four samplers of the *same* network, each from the same 2000 points x_T:
# ancestral sampling (DDPM with σ² = β̃ on a strided grid, i.e. DDIM with η = 1), DDIM with
# η = 0, and Euler and Heun on the probability-flow ODE (Heun spends 2 NFE per step; the ODE
# runs stop at s = 0.001, where training starts). The same table for the exact ε* comes
# first: it separates the samplers' discretisation error from the network's error. Score:
# MMD² × 10³ to the exact density (exact samples: 0 ± a few tenths).

# %%
def samplers(eps_fn):
    """step(x, t, t_prev) of each sampler; t are steps on the grid 0..T, eps_fn(x, t) -> ε̂."""

    def drift(x, s):
        return ode.ode_drift_from_eps(x, s, eps_fn(x, jnp.round(s * T).astype(int)))

    def ancestral(x, t, tp):  # DDIM with η = 1: DDPM's σ² = β̃ on the strided grid
        z = jax.random.normal(jax.random.fold_in(jax.random.key(13), t), x.shape)
        return sampling.ddim_step(x, t, tp, eps_fn(x, t), z, schedule, 1.0)

    return {"ancestral": ancestral,
            "DDIM η=0": lambda x, t, tp: sampling.ddim_step(x, t, tp, eps_fn(x, t), 0 * x, schedule),
            "Euler ODE": lambda x, t, tp: ode.euler_step(drift, x, t / T, tp / T),
            "Heun ODE": lambda x, t, tp: ode.heun_step(drift, x, t / T, tp / T)}  # fmt: skip


# %%
def nfe_table(eps_fn, x_T, budgets=(10, 20, 50, 100, 200)):
    table = {}
    for name, step in samplers(eps_fn).items():
        step = jax.jit(step)
        for nfe in budgets:
            taus = sampling.ddim_timesteps(T, nfe // 2 if name == "Heun ODE" else nfe)
            taus = taus if name in ("ancestral", "DDIM η=0") else np.maximum(taus, 1)
            table[name, nfe] = mmd(run(step, x_T, taus)[-1])
        print(f"{name:10s} | " + "  ".join(f"{table[name, n]:6.2f}" for n in budgets))
    return table


# %%
x_T = jax.random.normal(jax.random.key(14), (2000, 2))
print("exact ε*   | MMD² × 10³ at NFE = 10, 20, 50, 100, 200")
table_exact = nfe_table(eps_exact, x_T)

# %%
# NBVAL_IGNORE_OUTPUT
print("trained    | MMD² × 10³ at NFE = 10, 20, 50, 100, 200")
table_model = nfe_table(model_eps, x_T)

# %% [markdown]
# The claims of the table (plotted below), asserted with margins that hold for any training
# run: at 200 NFE every sampler of the trained model is close to exact (MMD² below 1 × 10⁻³,
# against tens at 10 NFE for the ODE solvers); at 10 NFE DDIM beats Euler and Heun.

# %%
assert all(table_model[name, 200] < 1.0 for name in samplers(model_eps)), table_model
assert table_model["DDIM η=0", 10] < min(table_model["Euler ODE", 10], table_model["Heun ODE", 10])
print("checked: at 200 NFE every sampler is close to exact; at 10 NFE DDIM beats the ODE solvers")

# %% [markdown]
# The same numbers as one picture: error against cost, solid lines for the trained network,
# dashed for the exact ε*, on a scale that is linear near 0 and logarithmic above. Look for:
# every sampler reaches the level of exact samples (grey band) by 100–200 NFE, with the
# network as with the truth, so the remaining error is the samplers', not the network's;
# at 10 NFE DDIM and ancestral sampling are far better than the ODE solvers; and Heun, with
# only 5 steps, is worst there: its second slope is taken at the end of each large step, where
# the field is steep near the sharp data modes, so a higher-order method pays off only once
# its steps are small (Karras et al. 2022 space them unevenly for this reason).

# %%
budgets, names = (10, 20, 50, 100, 200), ("ancestral", "DDIM η=0", "Euler ODE", "Heun ODE")
fig, ax = plt.subplots(figsize=(7.5, 4.2))
ax.axhspan(min(exact_draws), max(exact_draws), color="0.85", label="five exact draws")
for table, style, who in ((table_model, "-", "trained"), (table_exact, "--", "exact ε*")):
    for name, c in zip(names, ("C0", "C1", "C2", "C3"), strict=True):
        errors = [table[name, n] for n in budgets]
        ax.plot(budgets, errors, style, color=c, marker="o", label=f"{name} ({who})")
ax.set(xscale="log", yscale="symlog", xlabel="network evaluations (NFE)", ylim=(-0.5, 300))
ax.set(ylabel="MMD² × 10³ to the exact density", title="Sampler error vs cost on the 8-mode ring")
ax.yaxis.set_major_formatter(plt.ScalarFormatter())
ax.legend(fontsize=7, ncol=2)
plt.show()

# %% [markdown]
# ## Summary
#
# * The score ∇ log q_t of every noisy marginal is exact for a Gaussian mixture; the optimal
#   noise prediction is ε* = -√(1-ᾱ_t) ∇ log q_t (checked by Bayes over samples).
# * Langevin dynamics samples from a score alone, but at the data's noise level it cannot
#   cross the ~28-nat barriers between modes: it keeps its starting split, 1/8 per mode.
#   Annealing from high noise to low fixes the masses (8/8 right instead of 0/8).
# * The forward chain is an Euler–Maruyama discretisation of the VP SDE (the gap shrinks
#   ∝ 1/T). Its reverse SDE and the deterministic probability-flow ODE share its marginals;
#   DDIM with η = 0 is a discretisation of that ODE and converges to it.
# * So a diffusion model is *also* a flow: the ODE maps data to N(0, I) and back,
#   invertibly, and gives exact log-likelihoods (here within 0.01 nats of the truth with the
#   exact score) by the instantaneous change of variables; the ELBO only bounds it.
# * With a learned ε, samplers at equal cost differ: at 10 evaluations DDIM and ancestral
#   sampling beat the ODE solvers, Heun needs small enough steps to pay off; by 100–200 NFE
#   all reach the quality of exact samples, with the network as with the exact ε*.
#
# ## Exercises
#
# **Exercise 1 (prediction).** Section 2 ran Langevin dynamics with a step δ of 0.1 × the
# variance s² of one mode. Take instead δ = 3 s², start 2000 chains *on* the data (so no
# barrier needs crossing) and use the exact score. Before running: will each mode's samples
# come out **narrower**, **the same**, **wider**, or will the chains **diverge**? Set
# `prediction`, then run the cell: the check measures the spread of the samples around their
# mode (about a second) and tells you what happened and why.

# %%
prediction = None  # "narrower", "the same", "wider" or "diverge"
nb09_predict.check_prediction_big_step(prediction)

# %% [markdown]
# **Exercise 2 (derivation).** Explain exercise 1 exactly. On the target N(0, v) in 1-D the
# score is −x/v, so one Langevin step of section 2 is linear in x. Derive the variance at
# which the chain settles for step size δ, and code it; return `np.inf` for step sizes at
# which the chain does not settle. Route: write one step as x' = a x + b z and ask for a
# variance that one step leaves unchanged. The check propagates the chain's variance step by
# step in float64, from tiny δ to beyond the stability limit.

# %%
def langevin_variance(v, step_size):
    """The stationary variance of Langevin steps of size δ = step_size on N(0, v); floats."""
    raise NotImplementedError  # your code here


nb09.check_langevin_variance(langevin_variance)

# %% [markdown]
# **Exercise 3 (implementation).** The probability-flow velocity dx/ds of the VP SDE from a
# noise prediction ε̂ instead of the score, given β(s) and ᾱ(s) at the current time (turn ε̂
# into a score first). The check feeds the exact ε* of Gaussian data, whose flow is a known
# rescaling of x, and compares your velocity with that rescaling's.

# %%
def ode_drift_from_eps(x, eps_hat, beta_s, alpha_bar_s):
    """dx/ds at x (shape [B, D]) from ε̂ (same shape) and the scalars β(s), ᾱ(s)."""
    raise NotImplementedError  # your code here


nb09.check_ode_drift_from_eps(ode_drift_from_eps)

# %% [markdown]
# **Exercise 4 (implementation).** One Heun step of an ODE dx/ds = v(x, s) from time s to
# s_next (which may be smaller than s: the samplers run time backwards), calling
# `drift_fn(x, s)` for v. Heun averages two slopes; which two is for you to work out. The
# check compares with the Taylor series of a linear ODE (Heun is second order) and with the
# exact integral of a velocity that does not depend on x.

# %%
def heun_step(drift_fn, x, s, s_next):
    """x at s_next from x at s, with two evaluations of drift_fn."""
    raise NotImplementedError  # your code here


nb09.check_heun_step(heun_step)

# %% [markdown]
# ## References
#
# * Y. Song, J. Sohl-Dickstein, D. P. Kingma, A. Kumar, S. Ermon, B. Poole (2021).
#   *Score-Based Generative Modeling through Stochastic Differential Equations.* ICLR.
#   [arXiv:2011.13456](https://arxiv.org/abs/2011.13456) — the VP SDE, the reverse SDE, the
#   probability-flow ODE and its likelihood.
# * Y. Song, S. Ermon (2019). *Generative Modeling by Estimating Gradients of the Data
#   Distribution.* NeurIPS. [arXiv:1907.05600](https://arxiv.org/abs/1907.05600) — annealed
#   Langevin dynamics and why low-density regions need it.
# * J. Ho, A. Jain, P. Abbeel (2020). *Denoising Diffusion Probabilistic Models.* NeurIPS.
#   [arXiv:2006.11239](https://arxiv.org/abs/2006.11239) — the ε-model and ancestral sampling.
# * J. Song, C. Meng, S. Ermon (2021). *Denoising Diffusion Implicit Models.* ICLR.
#   [arXiv:2010.02502](https://arxiv.org/abs/2010.02502) — DDIM, η = 0, and its link to an ODE.
# * R. T. Q. Chen, Y. Rubanova, J. Bettencourt, D. Duvenaud (2018). *Neural Ordinary
#   Differential Equations.* NeurIPS. [arXiv:1806.07366](https://arxiv.org/abs/1806.07366) —
#   the instantaneous change of variables.
# * W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud (2019). *FFJORD:
#   Free-form Continuous Dynamics for Scalable Reversible Generative Models.* ICLR.
#   [arXiv:1810.01367](https://arxiv.org/abs/1810.01367) — continuous flows with a stochastic
#   trace estimator.
# * T. Karras, M. Aittala, T. Aila, S. Laine (2022). *Elucidating the Design Space of
#   Diffusion-Based Generative Models.* NeurIPS. [arXiv:2206.00364](https://arxiv.org/abs/2206.00364)
#   — Heun's method and step spacing for diffusion ODEs.
# * B. D. O. Anderson (1982). *Reverse-time diffusion equation models.* Stochastic Processes
#   and their Applications 12(3) — the reverse SDE.
