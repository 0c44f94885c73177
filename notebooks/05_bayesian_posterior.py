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
# # 05 · The Bayesian posterior: p(x_{t-1} | x_t) is intractable, q(x_{t-1} | x_t, x_0) is not
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/05_bayesian_posterior.ipynb)
#
# To generate data we must walk the chain backwards: x_T → x_{T-1} → … → x_0. The lecture
# asks for the reverse step p(x_{t-1} | x_t) by Bayes' rule and finds it intractable. This
# notebook makes that concrete and then shows the way out:
#
# 1. **why** p(x_{t-1} | x_t) is intractable (the evidence integral), and, because our toy
#    data is 1-D, the reverse step computed **exactly on a grid** anyway;
# 2. it is close to Gaussian for small β_t and visibly **non-Gaussian** for large β_t: the
#    reason for many small steps and a Gaussian reverse model;
# 3. conditioning on x_0 as well: q(x_{t-1} | x_t, x_0) = N(μ̃_t, β̃_t I) by **completing the
#    square**, checked against Bayes on a grid and against Monte Carlo conditioning;
# 4. the lecture's open "(?)": why no mean-field assumption is needed and the forward
#    chain's posterior is exact;
# 5. the bridge to the loss: p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t² I) with σ_t² = β_t or β̃_t.

# %%
# Colab only: install diffusion_lite (does nothing when run locally).
import sys

if "google.colab" in sys.modules:
    %pip install -q "diffusion_lite @ git+https://github.com/diffusion-lite/diffusion_lite"

# %%
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

from diffusion_lite.core import forward, posterior, schedules
from diffusion_lite.exercises import nb05
from diffusion_lite.toys import bayes_grid, mixtures

# %%
np.set_printoptions(precision=4, suppress=True)

# The data distribution of the series: three narrow bumps (as in notebooks 00 and 03).
data = mixtures.make_mixture([0.3, 0.4, 0.3], [-2.0, 0.0, 2.0], [0.15, 0.15, 0.15])
betas = schedules.linear_betas(1000)  # β_1 = 1e-4 … β_T = 0.02 (Ho et al. 2020)
schedule = schedules.make_schedule(betas)  # every constant computed once, in float64
alpha_bars = schedule.alpha_bars
grid = jnp.linspace(-5.0, 5.0, 2001)  # x_{t-1} values, dx = 0.005
fine_grid = jnp.linspace(-5.0, 5.0, 20001)  # dx = 5e-4, for the narrow posteriors of small t

# %% [markdown]
# ## 1. The reverse step by Bayes' rule, and why it is intractable
#
# $$p(x_{t-1} \mid x_t) = \frac{q(x_t \mid x_{t-1})\, q(x_{t-1})}{q(x_t)}, \qquad
#   q(x_t) = \int q(x_t \mid x_{t-1})\, q(x_{t-1})\, dx_{t-1}.$$
#
# The likelihood q(x_t | x_{t-1}) is our known Gaussian step. The trouble is the prior
# q(x_{t-1}) = ∫ q(x_{t-1} | x_0) p_data(x_0) dx_0 — it needs the *data distribution*, which
# we only know through samples — and the evidence q(x_t), an integral over every possible
# x_{t-1} (784 dimensions for a 28 × 28 image). In general neither is computable (claim 19).
#
# Notation, as in notebook 03: p(x_{t-1} | x_t), with no θ, is the *true* reverse step of the
# forward process; every q is a density of the forward process itself; p_θ (section 5) is the
# model that learns to imitate p(x_{t-1} | x_t).
#
# Our toy data is a known 1-D mixture, so here q(x_{t-1}) is exact (`diffuse_mixture`) and
# the evidence integral is a sum over a grid. The idea in one cell: prior × likelihood,
# divided by their sum.


# %%
def reverse_step_on_grid(x_t, t, grid):
    """p(x_{t-1} | x_t) at the grid points, by Bayes' rule; also returns the evidence q(x_t)."""
    dx = (grid[-1] - grid[0]) / (len(grid) - 1)  # (grid[1] - grid[0] rounds badly in float32)
    prior = mixtures.mixture_pdf(grid, *mixtures.diffuse_mixture(*data, alpha_bars[t - 1]))
    mean, std = jnp.sqrt(1.0 - betas[t]) * grid, jnp.sqrt(betas[t])
    likelihood = jax.scipy.stats.norm.pdf(x_t, mean, std)  # q(x_t | x_{t-1}) for every x_{t-1}
    evidence = jnp.sum(likelihood * prior) * dx  # q(x_t) = ∫ q(x_t | x') q(x') dx'
    return likelihood * prior / evidence, evidence


# %% [markdown]
# Check it at x_t = 0.9, t = 300. Look for: the grid's evidence matching the closed-form
# mixture q(x_t), and the posterior matching `bayes_grid.grid_posterior`.

# %%
x_t, t = 0.9, 300
density, evidence = reverse_step_on_grid(x_t, t, grid)
exact_evidence = mixtures.mixture_pdf(
    jnp.asarray(x_t), *mixtures.diffuse_mixture(*data, alpha_bars[t])
)
log_prior = mixtures.mixture_logpdf(grid, *mixtures.diffuse_mixture(*data, alpha_bars[t - 1]))
package = bayes_grid.grid_posterior(log_prior, grid, x_t, betas[t])
np.testing.assert_allclose(evidence, exact_evidence, rtol=1e-4)
np.testing.assert_allclose(density, package, rtol=1e-3, atol=1e-4)
print(
    f"evidence q(x_t = {x_t}): grid sum {float(evidence):.5f}, closed form {float(exact_evidence):.5f}"
)
assert float(jnp.max(jnp.abs(density - package))) < 1e-5  # float32 round-off only
print("posterior: by hand = bayes_grid.grid_posterior, to float32 round-off (< 1e-5)")

# %% [markdown]
# ## 2. Small steps: nearly Gaussian. Large steps: not at all.
#
# Take x_{t-1} from the data after a little noise (ᾱ_{t-1} = 0.9: three blurred bumps) and
# make one more step of size β. For small β the likelihood is a narrow spike and the
# posterior is essentially that spike: Gaussian. For large β the likelihood is broad, and
# the posterior inherits the prior's three bumps. Look for: the posterior (solid) against the
# Gaussian with the same mean and variance (dashed), for x_t between two bumps.

# %%
ab_prev = 0.9
log_prior = mixtures.mixture_logpdf(grid, *mixtures.diffuse_mixture(*data, ab_prev))
step_sizes = (0.001, 0.01, 0.1, 0.5, 0.9)
fig, axes = plt.subplots(1, len(step_sizes), figsize=(15, 3))
for ax, beta in zip(axes, step_sizes, strict=True):
    x_t = np.sqrt(1.0 - beta) * 0.9  # a point between the bumps at 0 and 1.9
    p = bayes_grid.grid_posterior(log_prior, grid, x_t, beta)
    m, v = bayes_grid.grid_mean_var(grid, p)
    ax.plot(grid, p, "C0", label=r"$p(x_{t-1} \mid x_t)$")
    ax.plot(grid, jax.scipy.stats.norm.pdf(grid, m, jnp.sqrt(v)), "C1--", label="Gaussian fit")
    ax.set(title=rf"$\beta$ = {beta}", xlabel=r"$x_{t-1}$", xlim=(-3.5, 3.5))
axes[0].set_ylabel("density")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# In numbers: the KL divergence from the exact posterior to its moment-matched Gaussian,
# KL(p ‖ N(m, v)) = H[N(m, v)] - H[p] (`bayes_grid.kl_to_moment_matched_gaussian`), averaged
# over x_t drawn from q(x_t). It is computed from log-densities (`grid_log_posterior`), which
# keeps float32 accurate to about 10⁻⁶ nats (values below 10⁻⁵ print as "< 1e-5": their
# digits would be round-off). Zero means exactly Gaussian. Look for: the KL
# growing by orders of magnitude with β.


# %%
@jax.jit
def mean_non_gaussianity(ab_prev, beta):
    """E_{x_t ~ q(x_t)} KL(p(x_{t-1} | x_t) ‖ moment-matched Gaussian), exactly on grids."""
    x_ts = jnp.linspace(-4.0, 4.0, 201)  # a grid of x_t values, weighted by q(x_t)
    log_prior = mixtures.mixture_logpdf(grid, *mixtures.diffuse_mixture(*data, ab_prev))
    weights = mixtures.mixture_pdf(x_ts, *mixtures.diffuse_mixture(*data, ab_prev * (1 - beta)))
    log_posteriors = bayes_grid.grid_log_posterior(log_prior, grid, x_ts, beta)  # [201, G]
    kl = bayes_grid.kl_to_moment_matched_gaussian(grid, log_posteriors)
    return jnp.sum(weights * kl) / jnp.sum(weights)


for beta in step_sizes:
    kl = float(mean_non_gaussianity(ab_prev, beta))
    shown = f"{kl:.1e}" if kl > 1e-5 else "< 1e-5"  # below 1e-5: float32 round-off
    print(f"β = {beta:5}: E KL(reverse step ‖ Gaussian) = {shown} nats")

# %% [markdown]
# The same measure along real schedules. With T = 1000 steps (β_t ≤ 0.02) every reverse step
# is nearly Gaussian; squeeze the same total noise into T = 10 steps (constant β ≈ 0.64) and
# the reverse steps are far from Gaussian. This is why diffusion takes many small steps, and
# why modelling each reverse step as a Gaussian is a good approximation only then
# (Sohl-Dickstein et al. 2015; Ho et al. 2020 §2).

# %%
short_betas = jnp.concatenate([jnp.zeros(1), jnp.full(10, 1.0 - float(alpha_bars[-1]) ** 0.1)])
for name, b, ts in (
    ("T = 1000", betas, (1, 10, 100, 300, 600, 1000)),
    ("T = 10", short_betas, (1, 2, 3, 5, 10)),
):
    ab = schedules.make_schedule(b).alpha_bars
    worst = max(float(mean_non_gaussianity(ab[t - 1], b[t])) for t in ts)
    shown = f"{worst:.2f}" if worst > 1e-5 else "< 1e-5"  # below 1e-5: float32 round-off
    print(f"{name:9s} (ᾱ_T = {float(ab[-1]):.1e}): worst E KL over t in {ts} = {shown} nats")

# %% [markdown]
# ## 3. Condition on x_0 as well: the posterior becomes Gaussian
#
# The trick of the lecture (claim 23): condition on x_0 too. Then the "prior" of x_{t-1} is
# the kernel q(x_{t-1} | x_0) = N(√ᾱ_{t-1} x_0, (1-ᾱ_{t-1})) from notebook 04 — a Gaussian,
# with no data distribution in it — and by the Markov property q(x_t | x_{t-1}, x_0) =
# q(x_t | x_{t-1}). Bayes' rule multiplies two Gaussians in x_{t-1}:
#
# $$q(x_{t-1} \mid x_t, x_0) \propto
#   \exp\Big(-\tfrac12\Big[\frac{(x_t - \sqrt{\alpha_t}\,x_{t-1})^2}{\beta_t}
#   + \frac{(x_{t-1} - \sqrt{\bar\alpha_{t-1}}\,x_0)^2}{1-\bar\alpha_{t-1}}\Big]\Big).$$
#
# **Complete the square** in x_{t-1}: the coefficient of x_{t-1}² is the precision, that of
# x_{t-1} is precision × mean:
#
# $$\frac{1}{\tilde\beta_t} = \frac{\alpha_t}{\beta_t} + \frac{1}{1-\bar\alpha_{t-1}}
#   = \frac{1-\bar\alpha_t}{\beta_t(1-\bar\alpha_{t-1})}, \qquad
#   \tilde\mu_t = \tilde\beta_t\Big(\frac{\sqrt{\alpha_t}\,x_t}{\beta_t}
#   + \frac{\sqrt{\bar\alpha_{t-1}}\,x_0}{1-\bar\alpha_{t-1}}\Big),$$
#
# $$\tilde\beta_t = \frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\,\beta_t, \qquad
#   \tilde\mu_t = \frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}\,x_0
#   + \frac{\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}\,x_t
#   \quad\text{(Ho et al. 2020, eq. 7).}$$
#
# (The step from the first line to the second uses α_t(1-ᾱ_{t-1}) + β_t = 1 - ᾱ_t.) At t = 1,
# ᾱ_0 = 1 makes β̃_1 = 0: given x_0, x_0 is known exactly. The idea as code, in the
# precision form above, checked against the package's coefficient form (t ≥ 2, where the
# precision is finite). Look for: agreement to float32 rounding. The hand version rebuilds ᾱ
# in float32, so at the smallest t, where 1 - ᾱ_t is a difference of nearly equal numbers,
# it can be off by about 10⁻⁴ relative (the package builds its constants in float64); the
# check allows 10⁻³.


# %%
def posterior_by_completing_the_square(x0, x_t, t, betas):
    """μ̃_t and β̃_t of q(x_{t-1} | x_t, x_0) from the two precisions (t >= 2)."""
    alpha_bars = jnp.cumprod(1.0 - betas)
    alpha_t, ab_prev = 1.0 - betas[t], alpha_bars[t - 1]
    precision = alpha_t / betas[t] + 1.0 / (1.0 - ab_prev)  # 1 / β̃_t
    linear = jnp.sqrt(alpha_t) * x_t / betas[t] + jnp.sqrt(ab_prev) * x0 / (1.0 - ab_prev)
    return linear / precision, 1.0 / precision


# %%
ts = jnp.arange(2, 1001)  # every step t = 2..T at once
x0s, x_ts = jnp.cos(0.1 * ts), jnp.sin(0.07 * ts)  # arbitrary test points
mean, var = posterior_by_completing_the_square(x0s, x_ts, ts, betas)
mean_pkg, var_pkg = posterior.q_posterior_mean_var(x0s, x_ts, ts, schedule)
np.testing.assert_allclose(mean, mean_pkg, rtol=1e-3, atol=1e-6)
np.testing.assert_allclose(var, var_pkg, rtol=1e-3)
print("t = 2..1000: completing the square = posterior.q_posterior_mean_var (rtol 1e-3)")

# %% [markdown]
# **Check 1: Bayes on a grid.** Use the Gaussian kernel q(x_{t-1} | x_0) as the prior in the
# same grid computation as in section 1 (`bayes_grid.grid_posterior`) and compare the grid
# posterior's mean and variance with μ̃_t and β̃_t. The grid is fine (dx = 5·10⁻⁴) because
# β̃_2 is tiny. Look for: agreement in the first four decimals. The last-digit gap at t = 2
# is float32 rounding in the closed form, where 1 - ᾱ_2 ≈ 2·10⁻⁴ loses digits (in float64,
# μ̃_2 = 0.572646: the grid is the closer of the two).

# %%
x0, x_t = 0.8, 0.3
print("   t   grid mean   μ̃_t       grid var    β̃_t")
for t in (2, 10, 100, 500, 1000):
    ab_prev = alpha_bars[t - 1]
    log_prior = (
        -0.5 * (fine_grid - jnp.sqrt(ab_prev) * x0) ** 2 / (1.0 - ab_prev)
    )  # q(x_{t-1} | x_0)
    m, v = bayes_grid.grid_mean_var(
        fine_grid, bayes_grid.grid_posterior(log_prior, fine_grid, x_t, betas[t])
    )
    mean, var = posterior.q_posterior_mean_var(jnp.array([x0]), jnp.array([x_t]), t, schedule)
    print(f"{t:4d}   {float(m):9.5f}  {float(mean[0]):9.5f}   {float(v):.3e}   {float(var[0]):.3e}")
    np.testing.assert_allclose([m, v], [mean[0], var[0]], rtol=1e-3, atol=1e-5)

# %% [markdown]
# **Check 2: Monte Carlo conditioning.** Simulate 400 000 pairs (x_{t-1}, x_t) from the
# forward process with x_0 = 0.8, keep the pairs whose x_t falls in a thin slab
# |x_t - 0.3| < 0.005, and look at their x_{t-1}: by definition these are samples from
# q(x_{t-1} | x_t ≈ 0.3, x_0). Look for: moments within about two standard errors.

# %%
t, n, x0, x_t_star, half_width = 100, 400_000, 0.8, 0.3, 0.005
key_prev, key_step = jax.random.split(jax.random.key(0))
x_prev = forward.q_sample(jnp.full((n,), x0), t - 1, jax.random.normal(key_prev, (n,)), schedule)
x_t = forward.q_step(x_prev, t, jax.random.normal(key_step, (n,)), schedule)
selected = x_prev[jnp.abs(x_t - x_t_star) < half_width]  # samples of x_{t-1} given x_t ≈ 0.3
mean, var = posterior.q_posterior_mean_var(jnp.array([x0]), jnp.array([x_t_star]), t, schedule)
m, v, k = float(jnp.mean(selected)), float(jnp.var(selected)), selected.shape[0]
print(f"{k} of {n} pairs in the slab")
print(f"mean of x_(t-1): MC {m:.4f} ± {np.sqrt(v / k):.4f}   μ̃_t {float(mean[0]):.4f}")
print(f"var  of x_(t-1): MC {v:.5f} ± {v * np.sqrt(2 / k):.5f}  β̃_t {float(var[0]):.5f}")

# %% [markdown]
# The selection as a picture. Look for: the slab cutting through the cloud of pairs, and the
# histogram of the selected x_{t-1} on top of N(μ̃_t, β̃_t).

# %%
fig, (ax_pairs, ax_hist) = plt.subplots(1, 2, figsize=(12, 3.6))
ax_pairs.plot(x_t[:5000], x_prev[:5000], ".", ms=2, alpha=0.3, label=r"$(x_t, x_{t-1})$ pairs")
slab = (x_t_star - half_width, x_t_star + half_width)
ax_pairs.axvspan(*slab, color="C3", alpha=0.5, label=r"slab $x_t \approx 0.3$")
ax_pairs.set(xlabel=r"$x_t$", ylabel=r"$x_{t-1}$", title=f"Forward pairs at t = {t}, x0 = {x0}")
ax_pairs.legend(fontsize=8)
ax_hist.hist(np.asarray(selected), bins=50, density=True, color="0.7", label="selected")
g = jnp.linspace(float(mean[0]) - 0.2, float(mean[0]) + 0.2, 300)
gauss = jax.scipy.stats.norm.pdf(g, mean[0], jnp.sqrt(var[0]))
ax_hist.plot(g, gauss, "C0", label=r"$\mathcal{N}(\tilde\mu_t, \tilde\beta_t)$")
title = r"$q(x_{t-1} \mid x_t, x_0)$: conditioning by selection"
ax_hist.set(xlabel=r"$x_{t-1}$", ylabel="density", title=title)
ax_hist.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 4. The lecture's "(?)": no mean-field assumption, and an exact posterior
#
# The notes say (claim 13): the variational distribution is fixed (Normal), no mean-field
# assumption is made, this works because Normal + Normal and Normal × Normal stay Normal, and
# so "the model posterior and the variational distribution coincide (?)". Here is what is
# true, and why.
#
# - In a VAE the variational posterior q_φ(z | x) is a *learned approximation* of an
#   intractable model posterior, often assumed to factorise (mean-field) to stay tractable.
# - In DDPM the "variational distribution" is the forward chain q(x_{1:T} | x_0) itself. It
#   is **fixed** (β_t are hyper-parameters; there is no φ to learn), and it is **Markov, not
#   mean-field**: it keeps every correlation between steps (check (a) below).
# - Because all its conditionals are linear-Gaussian (a linear map of a Gaussian plus
#   independent Gaussian noise is Gaussian; a product of Gaussian densities is an
#   unnormalised Gaussian), q(x_{1:T} | x_0) is one multivariate Gaussian, and **its own
#   posterior q(x_{t-1} | x_t, x_0) is exact and closed-form** — section 3, and check (b).
#   Nothing is approximated on the q side: in that sense q "is" the true posterior of the
#   forward process, by construction.
# - What does **not** coincide automatically is the *model's* reverse process: p_θ(x_{t-1} |
#   x_t) equals q(x_{t-1} | x_t, x_0) in distribution only if the model is perfect. Training
#   (notebook 06) minimises KL(q(x_{t-1} | x_t, x_0) ‖ p_θ(x_{t-1} | x_t)) for each t. And
#   without x_0, the true reverse step p(x_{t-1} | x_t) is not Gaussian (section 2).
#
# **(a)** The joint q(x_{1:T} | x_0) for a short chain (T = 5): Cov(x_s, x_t | x_0) =
# √(ᾱ_t/ᾱ_s) (1-ᾱ_s) for s ≤ t, against the Monte Carlo covariance of simulated chains. A
# mean-field approximation ∏_t q(x_t | x_0) would set the off-diagonal entries to 0 and lose
# KL = -½ log det(correlation matrix) nats. Look for: clearly non-zero off-diagonal
# correlations, strongest between neighbours, and almost a nat of discarded information.

# %%
b5 = schedules.linear_betas(5, 0.05, 0.4)
s5 = schedules.make_schedule(b5)
ab5 = np.asarray(s5.alpha_bars, dtype=np.float64)[1:]  # ᾱ_1..ᾱ_5
lo, hi = np.minimum.outer(np.arange(5), np.arange(5)), np.maximum.outer(np.arange(5), np.arange(5))
cov = np.sqrt(ab5[hi] / ab5[lo]) * (1.0 - ab5[lo])  # exact Cov(x_s, x_t | x_0)
chains = forward.q_chain(jax.random.key(1), jnp.full((200_000,), 0.8), s5)[1:]  # [5, n]
cov_mc = np.cov(np.asarray(chains))
corr = cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
print("correlation matrix of x_1..x_5 given x_0 (exact):\n", corr)
print(
    f"max |exact - Monte Carlo| covariance entry: {np.max(np.abs(cov - cov_mc)):.4f} (200 000 chains)"
)
print(
    f"information a mean-field q would discard: -½ log det(corr) = {-0.5 * np.linalg.slogdet(corr)[1]:.2f} nats"
)

# %% [markdown]
# **(b)** Gaussian conditioning of that joint (Schur complement) gives a third derivation of
# q(x_{t-1} | x_t, x_0), and shows the Markov property at work: conditioning x_2 on *all*
# later variables x_3, x_4, x_5 gives the same answer as conditioning on x_3 alone, and both
# equal μ̃_3, β̃_3. Look for: three identical rows.

# %%
x0, later = 0.8, np.array([0.5, 0.1, -0.3])  # observed x_3, x_4, x_5
mean5 = np.sqrt(ab5) * x0
print("conditioning x_2 on        mean       variance")
for name, idx in (("x_3, x_4, x_5", [2, 3, 4]), ("x_3 only", [2])):
    gain = np.linalg.solve(cov[np.ix_(idx, idx)], cov[idx, 1])  # Σ_bb⁻¹ Σ_ba
    m = mean5[1] + gain @ (later[: len(idx)] - mean5[idx])
    v = cov[1, 1] - cov[1, idx] @ gain
    print(f"{name:22s} {m:9.5f}  {v:11.6f}")
mu, var = posterior.q_posterior_mean_var(jnp.array([x0]), jnp.array([later[0]]), 3, s5)
print(f"{'μ̃_3, β̃_3 (package)':22s} {float(mu[0]):9.5f}  {float(var[0]):11.6f}")
np.testing.assert_allclose([m, v], [float(mu[0]), float(var[0])], rtol=1e-5)

# %% [markdown]
# ## 5. The bridge to the loss: p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t² I)
#
# We cannot use q(x_{t-1} | x_t, x_0) to generate — at generation time x_0 is what we are
# looking for — but it is the perfect *target*. The lecture's plan (claims 20–22):
#
# - **One shared network**: a single μ_θ(x_t, t) predicts the mean for every x_t and every t,
#   instead of a separate reverse step per t. The lecture calls this "amortised inference";
#   that is loose. In a VAE, amortised inference means a learned *encoder* q_φ(z | x) that
#   replaces a per-data-point posterior optimisation. DDPM learns no encoder: its q is the
#   fixed forward chain (section 4). What is shared across t and x_t is the *generative*
#   model p_θ, not an inference network.
# - **Fitted through the ELBO, not by exact maximum likelihood**: training maximises the
#   ELBO, a *lower bound* on log p_θ(x_0) (notebook 06). The gap is
#   log p_θ(x_0) − ELBO = KL(q(x_{1:T} | x_0) ‖ p_θ(x_{1:T} | x_0)) ≥ 0, and it depends on θ,
#   so the θ that maximises the ELBO is the maximum-likelihood θ only if the gap vanishes
#   there. Since q is fixed, nothing but p_θ can shrink the gap (a VAE would also move q).
#   Ho et al. then drop the ELBO's weights as well (L_simple, notebook 06): a reweighted sum
#   of the bound's terms, which in general is no longer a bound on the likelihood.
# - **σ_t gets no parameters**: Ho et al. fix σ_t² to β_t or β̃_t. Their §3.2: β_t is optimal
#   when x_0 ~ N(0, I), β̃_t when x_0 is a single point; the two bracket the truth. (Nichol &
#   Dhariwal 2021 later learn σ_t between them, which improves likelihoods; for sample
#   quality the fixed choice works well.)
# - **μ_θ depends on t**, so DDPM walks back one step at a time. Nuance: this is a property
#   of the ancestral sampler, not a law — DDIM (notebook 07) skips steps with the same network.
#
# Which σ_t² is right for *our* data? The true reverse step's average variance
# E_{x_t}[Var(x_{t-1} | x_t)] is exact on the grid. Look for: β̃_t/β_t far below 1 only in the
# first few steps (β̃_1 = 0), while the true variance stays within about 2 % of β_t at every
# t shown: bumps of width 0.15 still look wide next to √β_t ≈ 0.01, so for this data β_t is
# the better fixed choice. (Ho et al.'s bracket [β̃_t, β_t] is for data with unit variance;
# ours has variance 2.4, and at t = 300 the truth lies 0.2 % *above* β_t.)


# %%
@jax.jit
def mean_reverse_variance(t, grid):
    """E_{x_t ~ q(x_t)} Var(x_{t-1} | x_t) for the mixture data, exactly on grids."""
    log_prior = mixtures.mixture_logpdf(grid, *mixtures.diffuse_mixture(*data, alpha_bars[t - 1]))
    x_ts = jnp.linspace(-4.0, 4.0, 201)
    weights = mixtures.mixture_pdf(x_ts, *mixtures.diffuse_mixture(*data, alpha_bars[t]))
    _, var = bayes_grid.grid_mean_var(
        grid, bayes_grid.grid_posterior(log_prior, grid, x_ts, betas[t])
    )
    return jnp.sum(weights * var) / jnp.sum(weights)


# %%
tilde_betas = schedule.posterior_variance
show_t = (1, 2, 3, 5, 10, 30, 100, 300, 1000)
true_var = [float(mean_reverse_variance(t, fine_grid)) for t in show_t]
print("   t    β̃_t/β_t   true/β_t")
for t, v in zip(show_t, true_var, strict=True):
    print(f"{t:4d}    {float(tilde_betas[t] / betas[t]):.4f}    {v / float(betas[t]):.4f}")

# %% [markdown]
# The table as a figure, over all t on a log axis. Look for: the orange β̃_t curve rising
# from 0 to meet β_t, and the black dots (the truth for our data) hugging β_t throughout.

# %%
ts = np.arange(1, 1001)
fig, ax = plt.subplots(figsize=(7, 3.5))
ratio = np.asarray(tilde_betas[1:] / betas[1:])
ax.semilogx(ts, ratio, "C1", label=r"$\sigma_t^2 = \tilde\beta_t$ ($x_0$ a point)")
ax.semilogx(ts, np.ones_like(ts), "C0", label=r"$\sigma_t^2 = \beta_t$ ($x_0 \sim N(0, 1)$)")
true_ratio = np.array(true_var) / np.asarray(betas)[list(show_t)]
ax.semilogx(show_t, true_ratio, "ko", label=r"true $E\,\mathrm{Var}(x_{t-1} \mid x_t)$")
title = r"Reverse-step variance, relative to $\beta_t$"
ax.set(xlabel=r"$t$", ylabel=r"variance / $\beta_t$", title=title)
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (derivation).** Samplers that skip steps (DDIM, notebook 07) need the
# posterior of an *earlier* step: derive q(x_s | x_t, x_0) for any 0 ≤ s < t, its mean and
# variance, and code them. Route: as in section 3, but with the kernel q(x_t | x_s) (notebook
# 04, exercise 2) as the likelihood; complete the square in x_s. The check conditions the
# joint Gaussian of the forward chain, built step by step in float64, for s = 0, s = t - 1,
# t = T and pairs in between, and wants 10⁻⁴ relative accuracy even at the smallest s
# (`alpha_bars` come as NumPy float64). It refuses `posterior.q_posterior_mean_var`.


# %%
def skip_posterior(x0, x_t, s, t, alpha_bars):
    """(mean of shape x0.shape, variance) of q(x_s | x_t, x_0); alpha_bars: NumPy, [T + 1]."""
    raise NotImplementedError  # your code here


nb05.check_skip_posterior(skip_posterior)

# %% [markdown]
# **Exercise 2 (derivation).** The network of notebook 06 will predict ε, not x_0. Substitute
# x_0 = (x_t - √(1-ᾱ_t) ε)/√ᾱ_t into μ̃_t and simplify: return μ̃_t as a function of x_t and ε.
# The check feeds x_t made from a known x_0 and ε, at t = 1, 2, 30 and T, and compares with
# Gaussian conditioning; it refuses the package's posterior and sampling functions.


# %%
def posterior_mean_from_eps(x_t, t, eps, betas):
    """μ̃_t(x_t, x_0(x_t, ε)), simplified."""
    raise NotImplementedError  # your code here


nb05.check_mean_from_eps(posterior_mean_from_eps)

# %% [markdown]
# **Exercise 3 (prediction).** Section 2's setting, with β = 0.1: the true reverse step
# p(x_{t-1} | x_t) for the three-bump data. Before running the check, commit: is it wider when
# x_t sits `"on a bump"`, when it lies `"between bumps"`, or is its width `"the same"` for both?
# (Given x_0 as well, section 3's β̃_t is the same for every x_t.) The check computes both
# widths by Bayes on a grid.

# %%
prediction = None  # "on a bump", "between bumps" or "the same"
nb05.check_prediction_posterior_width(prediction)

# %% [markdown]
# ## Summary
#
# - The reverse step p(x_{t-1} | x_t) by Bayes' rule needs the data distribution and an evidence integral over all x_{t-1}, so it is intractable in general; for 1-D toy data it is computed exactly on a grid.
# - The exact reverse step is close to Gaussian for small β_t and far from Gaussian for large β_t: with T = 1000 small steps every reverse step is nearly Gaussian, with T = 10 it is not. Hence many small steps and a Gaussian reverse model.
# - Conditioning on x_0 as well gives a Gaussian, q(x_{t-1} | x_t, x_0) = N(μ̃_t, β̃_t I) with β̃_t = β_t (1-ᾱ_{t-1}) / (1-ᾱ_t), by completing the square; it is checked against Bayes on a grid, Monte Carlo conditioning and Gaussian conditioning of the joint.
# - The lecture's "(?)": the forward chain is the variational distribution; it is fixed and Markov, not mean-field, and its posterior is exact. The model p_θ matches it only if the model is perfect.
# - The model's reverse step is p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t² I) with σ_t² fixed to β_t or β̃_t; for this data the true reverse variance stays close to β_t.
#
# ## References
#
# - J. Sohl-Dickstein, E. Weiss, N. Maheswaranathan, S. Ganguli (2015). *Deep Unsupervised Learning using Nonequilibrium Thermodynamics.* ICML. [arXiv:1503.03585](https://arxiv.org/abs/1503.03585) — why many small steps make each reverse step nearly Gaussian.
# - J. Ho, A. Jain, P. Abbeel (2020). *Denoising Diffusion Probabilistic Models.* NeurIPS. [arXiv:2006.11239](https://arxiv.org/abs/2006.11239) — the posterior q(x_{t-1} | x_t, x_0) and the two fixed choices of σ_t².
# - A. Nichol, P. Dhariwal (2021). *Improved Denoising Diffusion Probabilistic Models.* ICML. [arXiv:2102.09672](https://arxiv.org/abs/2102.09672) — learning σ_t² between β̃_t and β_t.
