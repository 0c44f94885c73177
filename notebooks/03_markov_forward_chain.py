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
# # 03 · The forward process as a Markov chain (a Bayesian network)
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/03_markov_forward_chain.ipynb)
#
# The lecture's picture of diffusion: start from data x_0 and add a little Gaussian noise,
# again and again, x_0 → x_1 → … → x_T, until nothing of the data is left; then learn to
# walk the chain backwards. This notebook is about the forward direction only:
#
# 1. the model as a **Bayesian network** (the notes: "Bayesian Network"): the graph, the
#    plate, the factorisation of the joint;
# 2. **one step** q(x_t | x_{t-1}) = N(√(1-β_t) x_{t-1}, β_t I), the same at every t
#    (self-similar: get one step right and the whole chain is right);
# 3. the chain **simulated** on the 1-D mixture and on (synthetic) digits: the marginals
#    drift to N(0, I);
# 4. the lecture's **MCMC view**: the exact KL(q(x_t) ‖ N(0, 1)) against t, a "burn-in",
#    and how x_t forgets x_0;
# 5. why β_t is a fixed hyper-parameter here, and that it could be learned.

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

from diffusion_lite.core import forward, schedules
from diffusion_lite.exercises import nb03
from diffusion_lite.plots import graphical
from diffusion_lite.toys import bayes_grid, mixtures, toy_digits

np.set_printoptions(precision=4, suppress=True)

# %%
# The data distribution of the series: three narrow bumps (as in notebook 00).
data = mixtures.make_mixture([0.3, 0.4, 0.3], [-2.0, 0.0, 2.0], [0.15, 0.15, 0.15])
betas = schedules.linear_betas(1000)  # β_1 = 1e-4 … β_T = 0.02 (Ho et al. 2020)
schedule = schedules.make_schedule(betas)  # every constant computed once, in float64
alpha_bars = schedule.alpha_bars
var_x0 = float(jnp.sum(data.weights * (data.stds**2 + data.means**2)))  # Var[x_0]; E[x_0] = 0

# %% [markdown]
# ## 1. The model is a Bayesian network
#
# The lecture (claims 8, 11, 12): x_0 is the **observed** variable (the notes: "Observable
# variable"; shaded below), x_1 … x_T are **latent** ("latent variable"). A Bayesian network
# is a *stochastic, generative* model: every node is drawn from a distribution given its
# parents. A normalising flow, by contrast, is a *deterministic* invertible transformation
# of one noise vector.
#
# The line between the two is thinner than the notes suggest. Once trained, the same
# network can be sampled either way: DDPM's ancestral sampler draws fresh noise at every
# step (the Bayesian network above), while DDIM with η = 0 (notebook 07, section 4) maps
# x_T to x_0 by a deterministic function, that is, it is a flow from N(0, I) to the data.
# Its continuous-time limit, the probability-flow ODE (notebook 09, sections 3–4), is an
# invertible flow with an exact log-likelihood.
#
# To specify a graphical model we need two things:
#
# 1. **plate notation**: the box says "repeat for each of the N data points";
# 2. the **generative process**: p(x_T) = N(0, I) and the reverse steps p_θ(x_{t-1} | x_t).
#
# Starting from the full joint and factorising along the arrows:
#
# $$q(x_{1:T} \mid x_0) = \prod_{t=1}^{T} q(x_t \mid x_{t-1}), \qquad
#   p_\theta(x_{0:T}) = p(x_T) \prod_{t=1}^{T} p_\theta(x_{t-1} \mid x_t).$$
#
# Look for: solid arrows (the fixed forward steps q) and dashed arrows (the learned reverse
# steps p_θ) on the same chain, inside one plate.

# %%
fig, ax = plt.subplots(figsize=(9, 2.6))
graphical.draw_forward_chain(ax)
ax.set_title("Diffusion as a Bayesian network: forward q (solid), reverse $p_\\theta$ (dashed)")
plt.show()

# %% [markdown]
# ## 2. One step, and the whole chain by ancestral sampling
#
# One forward step ("노이즈 한번 추가하기", add noise once) is
#
# $$q(x_t \mid x_{t-1}) = \mathcal N\big(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\big)
#   \iff x_t = \sqrt{1-\beta_t}\,x_{t-1} + \sqrt{\beta_t}\,\varepsilon_t,\quad
#   \varepsilon_t \sim \mathcal N(0, I).$$
#
# Sampling a Bayesian network means sampling each node from its parent, in the order of the
# arrows. This is the idea in full: a loop of one-line steps. Each step gets fresh noise
# from `fold_in(key, t)`, so the package's `lax.scan` version must agree to float precision.

# %%
def forward_chain_by_hand(key, x0, betas):
    """x_0 → x_1 → … → x_T: draw every node from its parent, q(x_t | x_{t-1})."""
    xs = [x0]
    for t in range(1, betas.shape[0]):
        eps = jax.random.normal(jax.random.fold_in(key, t), x0.shape)  # fresh ε_t
        xs.append(jnp.sqrt(1.0 - betas[t]) * xs[-1] + jnp.sqrt(betas[t]) * eps)
    return jnp.stack(xs)  # [T + 1, ...]


short_betas = schedules.linear_betas(20, 0.01, 0.3)
x0 = jnp.array([-2.0, 0.0, 0.5, 2.0])
mine = forward_chain_by_hand(jax.random.key(0), x0, short_betas)
package = forward.q_chain(jax.random.key(0), x0, schedules.make_schedule(short_betas))
np.testing.assert_allclose(mine, package, rtol=1e-5, atol=1e-6)  # float32 round-off only
print("hand-written chain = forward.q_chain, to float32 round-off (rtol 1e-5)")

# %% [markdown]
# ## 3. Simulating the chain: the marginals drift to N(0, 1)
#
# Run 20 000 data points through the T = 1000 steps of the linear schedule. The marginal
# q(x_t) = ∫ q(x_t | x_0) q(x_0) dx_0 of a Gaussian mixture is again a mixture, in closed
# form (`mixtures.diffuse_mixture`, derived in notebook 04), so every histogram can be
# compared with the exact curve. Look for: three narrow bumps at t = 0, blurred bumps
# pulled towards 0 by the factor √ᾱ_t, then one bell curve N(0, 1).

# %%
key_data, key_chain = jax.random.split(jax.random.key(1))
x0_samples, _ = mixtures.mixture_sample(key_data, 20_000, *data)
xs = forward.q_chain(key_chain, x0_samples, schedule)  # [T + 1, 20000]

# %%
show_t = (0, 50, 150, 300, 1000)
grid = jnp.linspace(-4.0, 4.0, 801)
fig, axes = plt.subplots(1, len(show_t), figsize=(14, 2.8), sharey=True)
for ax, t in zip(axes, show_t, strict=True):
    ax.hist(np.asarray(xs[t]), bins=120, range=(-4, 4), density=True, color="0.7", label="chain")
    exact = mixtures.mixture_pdf(grid, *mixtures.diffuse_mixture(*data, alpha_bars[t]))
    ax.plot(grid, exact, "C0", label="exact $q(x_t)$")
    ax.set_title(f"t = {t}, $\\bar\\alpha_t$ = {float(alpha_bars[t]):.3f}")
    ax.set_xlabel("$x_t$")
axes[0].set_ylabel("density")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# The same comparison in numbers: mean and variance of the simulated x_t against the exact
# mixture moments, E[x_t] = √ᾱ_t E[x_0] and Var[x_t] = ᾱ_t Var[x_0] + 1 - ᾱ_t. The last
# column is the Monte Carlo standard error of the sample variance (that of the mean is
# √(Var[x_t]/20000) ≤ 0.011): differences of one or two of those are noise. All rows share
# the same 20 000 chains, so their errors are correlated.

# %%
n = xs.shape[1]
print("   t   MC mean  exact   MC var  exact   s.e.(var)")
worst = 0.0
for t in show_t:
    mean_exact, var_exact = 0.0, float(alpha_bars[t]) * var_x0 + 1.0 - float(alpha_bars[t])
    mean_mc, var_mc = float(jnp.mean(xs[t])), float(jnp.var(xs[t]))
    se_var = float(jnp.std((xs[t] - mean_mc) ** 2)) / np.sqrt(n)
    worst = max(worst, abs(mean_mc - mean_exact), abs(var_mc - var_exact))
    print(
        f"{t:4d}  {mean_mc:7.3f}  {mean_exact:5.3f}  {var_mc:7.3f}  {var_exact:5.3f}   {se_var:.3f}"
    )
print(f"largest |MC - exact| over these moments: {worst:.3f}")

# %% [markdown]
# Digits behave the same way, one pixel at a time: every pixel is its own 1-D chain with the
# same β_t. We use synthetic seven-segment digits (28 × 28, values in [-1, 1], like MNIST
# after scaling) so that this notebook needs no download; notebook 08 uses real MNIST.
# Look for: the strokes still visible at t = 100, faint at 300, gone by 1000, where the
# pixels have mean ≈ 0 and standard deviation ≈ 1. The grey scale runs from -1 (black) to
# 1 (white), the range of the data; noisy pixels outside it are clipped for display only.

# %%
digits = toy_digits.synthetic_digits([3, 5, 8])  # [3, 28, 28]
digit_chain = forward.q_chain(jax.random.key(2), digits, schedule)  # [T + 1, 3, 28, 28]

# %%
show_t = (0, 50, 100, 200, 300, 500, 1000)
fig, axes = plt.subplots(3, len(show_t), figsize=(11, 5))
for col, t in enumerate(show_t):
    for row in range(3):
        axes[row, col].imshow(digit_chain[t, row], cmap="gray", vmin=-1.0, vmax=1.0)
        axes[row, col].set_xticks([])
        axes[row, col].set_yticks([])
    axes[0, col].set_title(f"t = {t}")
axes[1, 0].set_ylabel("$x_t$ (clipped to [-1, 1])")
plt.show()

# %%
x_T = digit_chain[-1]
print(
    f"pixels of x_T: mean {float(jnp.mean(x_T)):.3f}, std {float(jnp.std(x_T)):.3f} (N(0, 1): 0, 1)"
)

# %% [markdown]
# ## 4. The MCMC view: a chain that burns in to N(0, 1)
#
# The lecture compares diffusion with MCMC (claim 7): a Markov chain that, after a
# **burn-in**, samples from its stationary distribution. Here the forward chain's
# stationary distribution is N(0, 1) (exercise 1 shows it is a fixed point of every step),
# and it is the *prior*, not the data: diffusion runs a chain whose end point is simple and
# learns to run it backwards. (MCMC samplers instead design a chain whose stationary law is
# the target.)
#
# Because q(x_t) is an exact mixture, KL(q(x_t) ‖ N(0, 1)) = ∫ q log(q/φ) dx can be computed
# by quadrature on a fine grid (`bayes_grid.kl_to_standard_normal`), for three schedules.
# Look for: KL falling over orders of magnitude; the slow schedule (β_T = 0.005) has not
# burnt in by T = 1000, so its x_T is *not* N(0, 1) and sampling from N(0, 1) would start
# the reverse chain in the wrong place.

# %%
schedule_betas = {
    "linear 1e-4..0.02 (Ho et al.)": betas,
    "cosine (Nichol & Dhariwal)": schedules.cosine_betas(1000),
    "linear 1e-4..0.005 (slow)": schedules.linear_betas(1000, 1e-4, 0.005),
}
kl_grid = jnp.linspace(-8.0, 8.0, 2001)  # dx = 0.008, far below the narrowest std 0.15


# %%
@jax.jit
def kl_curve(alpha_bars):
    """KL(q(x_t) ‖ N(0, 1)) for t = 0..T of one schedule, by quadrature."""
    ab = alpha_bars[:, None]  # [T + 1, 1]: one mixture per t
    w, m, s = mixtures.diffuse_mixture(*data, ab)  # means, stds: [T + 1, 3]
    log_q = mixtures.mixture_logpdf(kl_grid, w, m[:, None, :], s[:, None, :])  # [T + 1, G]
    return bayes_grid.kl_to_standard_normal(log_q, kl_grid)  # [T + 1]


kls = {name: kl_curve(schedules.make_schedule(b).alpha_bars) for name, b in schedule_betas.items()}

# %%
burn_in_kl = 1e-3
print(f"{'schedule':32s} KL at t=T   burn-in: first t with KL < {burn_in_kl:g}")
for name, kl in kls.items():
    below = np.flatnonzero(np.asarray(kl) < burn_in_kl)
    burn_in = f"t = {below[0]}" if below.size else "not reached"
    kl_T = f"{float(kl[-1]):.2e}" if kl[-1] > 1e-6 else "< 1e-6"  # float32 quadrature floor
    print(f"{name:32s} {kl_T:9s}   {burn_in}")

# %% [markdown]
# How fast does x_t forget x_0? The correlation follows from x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε:
#
# $$\operatorname{corr}(x_0, x_t) = \frac{\sqrt{\bar\alpha_t}\,\sigma_0}
#   {\sqrt{\bar\alpha_t \sigma_0^2 + 1 - \bar\alpha_t}},\qquad \sigma_0^2 = \operatorname{Var}[x_0].$$
#
# Check it against the simulated chain. Look for: agreement to about 0.01, the Monte Carlo
# error of a correlation from 20 000 pairs.

# %%
sd0 = np.sqrt(var_x0)
print("   t   corr MC   corr exact")
worst = 0.0
for t in (10, 100, 300, 600, 1000):
    corr_mc = float(jnp.corrcoef(xs[0], xs[t])[0, 1])
    ab_t = float(alpha_bars[t])
    corr_exact = np.sqrt(ab_t) * sd0 / np.sqrt(ab_t * var_x0 + 1.0 - ab_t)
    print(f"{t:4d}   {corr_mc:7.3f}   {corr_exact:7.3f}")
    worst = max(worst, abs(corr_mc - corr_exact))
print(f"largest |MC - exact| correlation: {worst:.3f}")

# %% [markdown]
# Both curves against t, for the three schedules. Look for: the KL and the correlation
# falling together, and the burn-in dots where the KL crosses 10⁻³.

# %%
# The curves for t = 1..T: the quadrature KL and the exact correlation, per schedule.
ts = np.arange(1, 1001)
kl_t = {name: np.asarray(kl)[1:] for name, kl in kls.items()}
corr_t = {}
for name, b in schedule_betas.items():
    ab = np.asarray(schedules.make_schedule(b).alpha_bars)[1:]
    corr_t[name] = np.sqrt(ab) * sd0 / np.sqrt(ab * var_x0 + 1 - ab)

# %%
fig, (ax_kl, ax_corr) = plt.subplots(1, 2, figsize=(12, 3.8))
for i, name in enumerate(schedule_betas):
    ax_kl.semilogy(ts, kl_t[name], f"C{i}", label=name)
    below = np.flatnonzero(kl_t[name] < burn_in_kl)
    if below.size:
        ax_kl.plot(ts[below[0]], kl_t[name][below[0]], f"C{i}o")
    ax_corr.plot(ts, corr_t[name], f"C{i}", label=name)
ax_kl.axhline(burn_in_kl, color="0.5", ls=":", label="burn-in threshold")
ax_kl.set_ylim(1e-6, 3)  # below 1e-6 the float32 quadrature is rounding noise
ax_kl.set(xlabel="t", ylabel="KL($q(x_t)$ ‖ N(0,1)) [nats]", title="Distance to stationarity")
ax_corr.set(xlabel="t", ylabel="corr($x_0$, $x_t$)", title="$x_t$ forgets $x_0$")
for ax in (ax_kl, ax_corr):
    ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# A second, independent check of the exact KL: estimate it from the simulated chain as the
# sample mean of log q(x_t) - log φ(x_t) at t = 300 (linear schedule), with its standard error.

# %%
t = 300
log_ratio = mixtures.mixture_logpdf(xs[t], *mixtures.diffuse_mixture(*data, alpha_bars[t])) - (
    -0.5 * xs[t] ** 2 - 0.5 * jnp.log(2 * jnp.pi)
)
kl_mc, kl_se = float(jnp.mean(log_ratio)), float(jnp.std(log_ratio)) / np.sqrt(xs.shape[1])
kl_exact = float(kls["linear 1e-4..0.02 (Ho et al.)"][t])
print(f"KL at t = {t}: quadrature {kl_exact:.4f}, chain samples {kl_mc:.4f} ± {kl_se:.4f}")
print(f"difference: {abs(kl_mc - kl_exact) / kl_se:.1f} standard errors")

# %% [markdown]
# ## 5. Forward stochastic, reverse … also stochastic
#
# The notes call the forward process stochastic and the reverse process "deterministic"
# (claim 9). The first half is right; the second needs a nuance. The *true* reverse step
# p(x_{t-1} | x_t) is a distribution, not a function: given x_t, several x_{t-1} are
# possible. In 1-D we can compute it exactly by Bayes' rule on a grid (notebook 05 does this
# in detail). Look for: a spread of x_{t-1} given one x_t that is never 0, about √β_t.
# DDPM's sampler (notebook 07) therefore draws fresh noise at every reverse step; only DDIM
# with η = 0 (also notebook 07) is a deterministic map from x_T to x_0, the flow of
# section 1.

# %%
x_t_value, post_grid = 0.5, jnp.linspace(-6.0, 6.0, 3001)  # x_{t-1} grid, dx = 0.004
print("   t   std of x_{t-1} given x_t = 0.5    √β_t")
for t in (10, 300, 1000):
    prior = mixtures.diffuse_mixture(*data, alpha_bars[t - 1])  # q(x_{t-1})
    density = bayes_grid.grid_posterior(
        mixtures.mixture_logpdf(post_grid, *prior), post_grid, x_t_value, betas[t]
    )
    _, var = bayes_grid.grid_mean_var(post_grid, density)
    std, sqrt_beta = float(jnp.sqrt(var)), float(jnp.sqrt(betas[t]))
    print(f"{t:4d}   {std:.4f}                            {sqrt_beta:.4f}")

# %% [markdown]
# ## 6. β_t: a fixed hyper-parameter that could be learned
#
# The lecture asks whether this model is trainable (claim 15): yes, β_t *could* be learned
# (Ho et al. 2020 §2 mention learning it by reparameterisation; Kingma et al. 2021,
# *Variational Diffusion Models*, learn the noise schedule), but Ho et al. fix it as a
# hyper-parameter. Then the forward chain has **no parameters at all**:
# q is a fixed encoder, every transition is known, and only the reverse steps p_θ are
# learned. The figures above show that the choice still matters: it decides how fast q(x_t)
# burns in to N(0, 1), and whether it gets there by t = T at all.
#
# ## Exercises
#
# **Exercise 1 (stationarity).** If x_{t-1} ~ N(m, v), then x_t = √(1-β) x_{t-1} + √β ε is
# Gaussian too. Return its mean and variance. Then convince yourself that N(0, 1) is a
# fixed point for every β. The check integrates x_t over x_{t-1} and ε numerically
# (Gauss–Hermite quadrature).

# %%
def step_moments(mean, var, beta):
    """Mean and variance of x_t when x_{t-1} ~ N(mean, var)."""
    raise NotImplementedError  # your code here


nb03.check_step_moments(step_moments)

# %% [markdown]
# **Exercise 2 (the factorisation).** Given one path `xs = [x_0, x_1, …, x_T]` (shape [T + 1])
# and `betas` (shape [T + 1], index 0 unused), return log q(x_{1:T} | x_0) as the sum over t
# of log N(x_t; √(1-β_t) x_{t-1}, β_t). The check compares it with the chain written as
# one multivariate Gaussian.

# %%
def log_q_chain(xs, betas):
    """log q(x_{1:T} | x_0) = Σ_t log q(x_t | x_{t-1})."""
    raise NotImplementedError  # your code here


nb03.check_log_q_chain(log_q_chain)

# %% [markdown]
# **Exercise 3 (forgetting).** Take a constant β at every step and Var[x_0] = 1. Return
# the first t at which corr(x_0, x_t) < ρ. (Use the correlation formula of section 4.)
# The check walks the chain's ᾱ_t one step at a time until the correlation drops below ρ.

# %%
def steps_to_forget(beta, rho):
    """The smallest t >= 1 with corr(x_0, x_t) < rho, for constant beta and Var[x_0] = 1."""
    raise NotImplementedError  # your code here


nb03.check_steps_to_forget(steps_to_forget)

# %% [markdown]
# **Exercise 4 (derivation).** Why √(1-β) and not 1-β? Take any chain
# x_t = a x_{t-1} + b ε_t with constants a, b and fresh ε_t ~ N(0, 1). Derive the variance
# its marginals settle at (the stationary variance) and code it; return `float('inf')` when
# no stationary law exists. Route: stationarity means Var[x_t] = Var[x_{t-1}]; write
# exercise 1's variance recursion with general a and b. Then try the step a = 1 - β,
# b = √β that forgot the square root. The check compares with a second route (the chain
# run from the infinite past) in float64, including β = 10⁻⁴, the linear schedule's first step.

# %%
def stationary_variance(a, b):
    """The variance that x_t = a x_{t-1} + b ε_t settles at; inf if it never settles."""
    raise NotImplementedError  # your code here


nb03.check_stationary_variance(stationary_variance)

# %% [markdown]
# **Exercise 5 (prediction).** Start the chain from x_0 ~ N(2, 4): mean 2, and variance 4,
# three units more than N(0, 1). Run the linear schedule until the mean has halved,
# E[x_t] ≈ 1. How much of the excess variance Var[x_t] - 1 is left at that step? Decide
# before you run the cell: the check then simulates 100 000 chains step by step and says why.

# %%
prediction = None  # "all", "half", "a quarter" or "none"
nb03.check_prediction_forgetting(prediction)

# %% [markdown]
# ## Summary
#
# - The diffusion model is a Bayesian network: x_0 is observed, x_1 … x_T are latent, and the joint factorises along the arrows as q(x_{1:T} | x_0) = ∏_t q(x_t | x_{t-1}) and p_θ(x_{0:T}) = p(x_T) ∏_t p_θ(x_{t-1} | x_t).
# - One forward step, q(x_t | x_{t-1}) = N(√(1-β_t) x_{t-1}, β_t I), has the same form at every t; running the chain is ancestral sampling, a loop of one-line steps (checked against the package).
# - Simulated marginals match the exact mixture marginals and drift to N(0, 1); x_t forgets x_0 as corr(x_0, x_t) = √ᾱ_t σ_0 / √(ᾱ_t σ_0² + 1 - ᾱ_t), with σ_0² = Var[x_0].
# - In the lecture's MCMC view, the forward chain's stationary law is N(0, 1), the prior rather than the data; the exact KL(q(x_t) ‖ N(0, 1)) shows the burn-in, and a too-slow schedule has not burnt in by t = T.
# - The true reverse step is a distribution, with a spread of about √β_t, so the reverse process is stochastic; β_t is a fixed hyper-parameter here, though it could be learned.
#
# ## References
#
# - J. Ho, A. Jain, P. Abbeel (2020). *Denoising Diffusion Probabilistic Models.* NeurIPS. [arXiv:2006.11239](https://arxiv.org/abs/2006.11239) — the linear schedule, and β_t fixed as a hyper-parameter.
# - A. Nichol, P. Dhariwal (2021). *Improved Denoising Diffusion Probabilistic Models.* ICML. [arXiv:2102.09672](https://arxiv.org/abs/2102.09672) — the cosine schedule.
# - D. P. Kingma, T. Salimans, B. Poole, J. Ho (2021). *Variational Diffusion Models.* NeurIPS. [arXiv:2107.00630](https://arxiv.org/abs/2107.00630) — a noise schedule that is learned.
