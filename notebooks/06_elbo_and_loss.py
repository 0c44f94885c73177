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
# # 06 · From the ELBO to the ε-loss
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/06_elbo_and_loss.ipynb)
#
# The lecture notes stop at "the loss for the reverse diffusion is …". This notebook finishes
# the sentence, one checked step at a time:
#
# 1. latent variables x_1..x_T make log p_θ(x_0) an intractable integral, so we maximise a
#    lower bound, the **ELBO** (the variational / EM view of the notes; claim 10);
# 2. the bound splits into L_T + Σ L_{t-1} + L_0, each a **KL between Gaussians** in closed form;
# 3. writing μ_θ through a noise prediction ε_θ turns each KL into a **weighted ε-MSE**
#    λ_t ‖ε - ε_θ‖² (claim 24);
# 4. dropping the weights gives Ho et al.'s **L_simple**, the loss every DDPM is trained with.
#
# The data are the 1-D Gaussian mixture of notebook 01. For it the best possible ε-model,
# ε*(x_t, t) = E[ε | x_t], is known in closed form (`mixtures.mixture_eps_star`), so every
# number below is a property of the *ideal* model; notebook 07 trains a network.

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

from diffusion_lite.core import elbo, forward, losses, posterior, sampling, schedules
from diffusion_lite.exercises import nb06
from diffusion_lite.toys import mixtures
from diffusion_lite.toys.toy_training import mixture_eps_fn, simple_loss

# %%
np.set_printoptions(precision=4, suppress=True)
mix = mixtures.evenly_spaced_mixture(n_modes=5, spacing=2.0, std=0.1)  # notebook 01's data
T = 200
betas = schedules.linear_betas(T, beta_1=1e-4, beta_T=0.1)  # ᾱ_T ≈ 3e-5, as DDPM's T = 1000
schedule = schedules.make_schedule(betas)  # every constant computed once, in float64
alpha_bars = schedule.alpha_bars
x_data, _ = mixtures.mixture_sample(jax.random.key(0), 4000, *mix)  # [4000]
print(f"T = {T}, ᾱ_T = {float(alpha_bars[T]):.1e}, {x_data.shape[0]} data points")

# %% [markdown]
# ## 1. Latent variables → an intractable likelihood → a lower bound (claim 10)
#
# The model is the reverse chain p_θ(x_{0:T}) = p(x_T) ∏_t p_θ(x_{t-1} | x_t) with
# p(x_T) = N(0, I) and Gaussian steps p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t² I). Only x_0 is
# observed, so its likelihood is an integral over the T latent variables:
#
# $$p_\theta(x_0) = \int p_\theta(x_{0:T})\, dx_{1:T}.$$
#
# As in EM, pick any distribution q(x_{1:T} | x_0) over the latents. Then, exactly,
#
# $$\log p_\theta(x_0) = \underbrace{\mathbb{E}_q\Big[\log \frac{p_\theta(x_{0:T})}{q(x_{1:T}\mid x_0)}\Big]}_{\text{ELBO}}
#   + \mathrm{KL}\big(q(x_{1:T}\mid x_0)\,\|\,p_\theta(x_{1:T}\mid x_0)\big) \;\ge\; \text{ELBO},$$
#
# because a KL is never negative (equivalently: Jensen, log E[w] ≥ E[log w]). EM would
# alternate an E-step (set q to the posterior) and an M-step (raise the ELBO in θ). In a
# diffusion model q is **fixed**: it is the forward noising chain, q(x_{1:T} | x_0) =
# ∏ q(x_t | x_{t-1}) (notebook 05). Only the M-step remains: maximise the ELBO in θ.
#
# The ELBO is an expectation over forward trajectories, so the most direct estimate samples
# them. The cell below does exactly that for a batch of x_0, with the exact ε* as the model and
# σ_t² = β_t. Look at the printed numbers: the bound must lie *above* the true negative
# log-likelihood of the data (on average over the data, -ELBO ≥ -log p_θ ≥ -log p_data).


# %%
def negative_elbo_naive(key, x0, betas, alpha_bars, eps_fn):
    """log q(x_{1:T}|x_0) - log p_θ(x_{0:T}) along one sampled forward trajectory per x_0."""
    xs = forward.q_chain(key, x0, schedule)  # [T + 1, B], xs[t] = x_t
    t = jnp.arange(1, betas.shape[0])[:, None]  # [T, 1]
    log_q = losses.gaussian_log_likelihood(xs[1:], jnp.sqrt(1 - betas[t]) * xs[:-1], betas[t])
    eps_hat = eps_fn(xs[1:], t)  # ε_θ(x_t, t), [T, B]
    mu = (xs[1:] - betas[t] / jnp.sqrt(1 - alpha_bars[t]) * eps_hat) / jnp.sqrt(1 - betas[t])
    log_p = losses.gaussian_log_likelihood(xs[:-1], mu, betas[t])  # p_θ(x_{t-1}|x_t), σ² = β_t
    log_prior = losses.gaussian_log_likelihood(xs[-1], 0.0, 1.0)  # p(x_T) = N(0, 1)
    return log_q.sum(0) - log_p.sum(0) - log_prior  # [B]


# %%
def eps_star(x_t, t):  # the ideal model: ε*(x_t, t) = E[ε | x_t] of the mixture
    return mixtures.mixture_eps_star(x_t, alpha_bars[t], *mix)


naive = jax.jit(negative_elbo_naive, static_argnums=4)(
    jax.random.key(1), x_data, betas, alpha_bars, eps_star
)
true_nll = -mixtures.mixture_logpdf(x_data, *mix)
print(
    f"-ELBO (naive, sampled trajectories): {float(naive.mean()):.3f} ± {float(naive.std()) / 63.2:.3f} nats"
)
print(f"-log p_data(x_0), exact:             {float(true_nll.mean()):.3f} nats")

# %% [markdown]
# The gap between the two lines is not Monte Carlo noise: it is the price of Gaussian reverse
# steps with a fixed variance and of only T = 200 steps (with DDPM's T = 1000 and the same
# ᾱ_T the same bound comes down to about 0.79 nats). How much of the bound each piece costs is what
# the decomposition shows.
#
# ## 2. The decomposition L_T + Σ L_{t-1} + L_0
#
# Rewriting q(x_t | x_{t-1}) with Bayes' rule as q(x_{t-1} | x_t, x_0) q(x_t | x_0) / q(x_{t-1} | x_0)
# and cancelling the telescoping ratio gives (Ho et al. 2020, eq. 5)
#
# $$-\text{ELBO} = \underbrace{\mathrm{KL}(q(x_T\mid x_0)\,\|\,p(x_T))}_{L_T}
#  + \sum_{t=2}^{T} \underbrace{\mathbb{E}_q\,\mathrm{KL}(q(x_{t-1}\mid x_t, x_0)\,\|\,p_\theta(x_{t-1}\mid x_t))}_{L_{t-1}}
#  \underbrace{- \mathbb{E}_q \log p_\theta(x_0\mid x_1)}_{L_0}.$$
#
# Every distribution inside is a Gaussian we already know: q(x_T | x_0) (notebook 04),
# the posterior q(x_{t-1} | x_t, x_0) (notebook 05) and p_θ. So every KL is in closed form and
# only x_t ~ q(x_t | x_0) is sampled. `elbo.nll_bound` evaluates all T terms; its average must
# agree with the naive estimate above within Monte Carlo error.

# %%
bound = elbo.nll_bound(jax.random.key(2), mixture_eps_fn(mix, schedule), x_data[:, None], schedule)
closed = bound.total()
se = float(jnp.sqrt(naive.var() / naive.size + closed.var() / closed.size))
print(f"L_T (prior)          {float(bound.prior.mean()):8.4f} nats")
print(f"Σ L_(t-1) (t=2..T)   {float(bound.diffusion.sum(0).mean()):8.4f} nats")
print(f"L_0 (decoder)        {float(bound.decoder.mean()):8.4f} nats")
print(f"-ELBO, closed form   {float(closed.mean()):8.4f} nats;  naive {float(naive.mean()):.4f}")
print(f"difference / standard error = {float(closed.mean() - naive.mean()) / se:.2f}")
np.testing.assert_allclose(closed.mean(), naive.mean(), atol=4 * se)

# %% [markdown]
# L_T is tiny (ᾱ_T ≈ 3·10⁻⁵: the forward chain really ends at N(0, 1)) and has no
# parameters. L_0 is *negative*: -log of a density can be, here the decoder's density at x_0 is
# large because its variance β_1 = 10⁻⁴ is small. The sum of the KLs carries the rest.
#
# Where along t is the bound spent? The plot (both axes logarithmic) shows the average
# L_{t-1} for the two natural choices of σ_t² (notebook 05). Look for three things.
#
# - The largest terms are the first few steps: t = 2..10 carry about half of Σ L_{t-1}
#   (the shares are printed after the plot and its explanation).
# - Only there do the two choices differ much: σ_t² = β̃_t is the right variance when x_t pins
#   x_0 down, σ_t² = β_t when x_0 is spread widely compared with the noise. At the first
#   steps the noise (√(1-ᾱ_2) ≈ 0.03) is smaller than the width of a mode (0.1), so x_0 is
#   *not* pinned down, β̃_t is over-confident, and it pays for that in nats.
# - After a trough near t ≈ 20 comes a broad **plateau**, t ≈ 25–120, which carries most of
#   the rest. The cell after the plot explains it.

# %%
bound_tilde = elbo.nll_bound(
    jax.random.key(2),
    mixture_eps_fn(mix, schedule),
    x_data[:, None],
    schedule,
    sampling.Variance.BETA_TILDE,
)
print(
    f"-ELBO:     σ² = β: {float(closed.mean()):.3f} nats,  σ² = β̃: {float(bound_tilde.total().mean()):.3f} nats"
)
for t in (2, 3, 5, 10):
    print(
        f"L_{t - 1:<2d}  (t={t:2d}): σ² = β: {float(bound.diffusion[t].mean()):.3f} nats,  σ² = β̃: {float(bound_tilde.diffusion[t].mean()):.3f} nats"
    )

# %%
ts = np.arange(2, T + 1)  # steps with a KL term
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(ts, bound.diffusion.mean(1)[2:], label=r"$\sigma_t^2 = \beta_t$")
ax.plot(ts, bound_tilde.diffusion.mean(1)[2:], label=r"$\sigma_t^2 = \tilde\beta_t$")
ax.set(
    xlabel="step t",
    ylabel=r"$L_{t-1}$ (nats)",
    xscale="log",
    yscale="log",
    ylim=(1e-4, None),
    title="Per-step KL terms of the ELBO, ideal ε-model",
)
ax.legend()
fig.tight_layout()

# %% [markdown]
# **Why the plateau?** Each term splits exactly into two parts (add and subtract
# log p(x_{t-1} | x_t), the true reverse step of notebook 05, inside the KL):
#
# $$L_{t-1} = \underbrace{I(x_{t-1}; x_0 \mid x_t)}_{\text{what step } t \text{ reveals about } x_0}
#   + \underbrace{\mathbb{E}\,\mathrm{KL}\big(p(x_{t-1}\mid x_t)\,\|\,p_\theta(x_{t-1}\mid x_t)\big)}_{\text{the model's mismatch}}.$$
#
# The second part is what p_θ gets wrong; for the ideal ε* it is only the price of a
# Gaussian step with a fixed variance. The first part does not depend on the model at all,
# and by the chain rule of mutual information these parts add up to
# Σ_t I(x_{t-1}; x_0 | x_t) = I(x_0; x_1) − I(x_0; x_T). So the bound is spent where the
# reverse chain *learns something about x_0*. Measured in units of x_0, x_t carries noise
# of standard deviation √((1-ᾱ_t)/ᾱ_t): 0.03 at t = 2, 0.15 at t = 10, about a mode's width
# (0.1). These first steps fix *where inside its mode* x_0 lies. Near t ≈ 20 the noise is
# 0.3: wider than a mode, much narrower than the spacing of the modes (2). x_t then tells
# which mode x_0 came from but little more, each step reveals little, and the terms dip.
# From t ≈ 25 to 120 the noise grows from about 0.4 to 6, through the spacing: here the five
# modes merge, and these steps decide *which mode* x_0 came from. That information is the
# entropy of the mode label, log 5 ≈ 1.61 nats for five equally likely modes. The terms from
# t = 20 on add up to a little more than that (the rest: the second part, and the little
# that x_19 still tells about the position inside a mode).
# Look for: the shares, and the tail sum next to log 5.

# %%
PARTS = ((2, 10), (11, 24), (25, 120), (121, T))
L_mean = np.asarray(bound.diffusion.mean(1), dtype=np.float64)  # L_{t-1} per t, σ² = β
share = {f"{a}..{b}": L_mean[a : b + 1].sum() / L_mean[2:].sum() for a, b in PARTS}
print("share of Σ L_(t-1), σ² = β:", ",  ".join(f"t = {k}: {v:.2f}" for k, v in share.items()))
print(f"Σ L_(t-1) over t = 20..{T}: {L_mean[20:].sum():.1f} nats;  log 5 = {np.log(5):.2f} nats")
assert 0.45 < share["2..10"] < 0.65 and 0.3 < share["25..120"] < 0.45
assert np.log(5) < L_mean[20:].sum() < np.log(5) + 0.2

# %% [markdown]
# ## 3. The KL between two Gaussians
#
# For one coordinate,
# $\mathrm{KL}(\mathcal N(m_1, v_1)\,\|\,\mathcal N(m_2, v_2)) = \tfrac12\big[\log\tfrac{v_2}{v_1} + \tfrac{v_1 + (m_1-m_2)^2}{v_2} - 1\big]$.
# The cell checks this formula against its definition, E_{x~N(m1, v1)}[log N(x; m1, v1) - log N(x; m2, v2)],
# by Monte Carlo, and against the package. The printed Monte Carlo value should agree to about
# two decimals.


# %%
def kl_gauss(m1, v1, m2, v2):
    return 0.5 * (jnp.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1.0)


m1, v1, m2, v2 = 0.3, 0.5, -0.2, 0.8
x = m1 + jnp.sqrt(v1) * jax.random.normal(jax.random.key(3), (200_000,))
kl_mc = jnp.mean(
    losses.gaussian_log_likelihood(x, m1, v1) - losses.gaussian_log_likelihood(x, m2, v2)
)
print(f"closed form {float(kl_gauss(m1, v1, m2, v2)):.4f}, Monte Carlo {float(kl_mc):.4f}")
np.testing.assert_allclose(kl_gauss(m1, v1, m2, v2), kl_mc, atol=0.01)
np.testing.assert_allclose(kl_gauss(m1, v1, m2, v2), losses.gaussian_kl(m1, v1, m2, v2), rtol=1e-6)

# %% [markdown]
# ## 4. From μ to ε: each KL is a weighted ε-MSE (claim 24)
#
# Both Gaussians in L_{t-1} have fixed variances (β̃_t and σ_t²), so θ enters only through the
# mean: L_{t-1} = E‖μ̃_t(x_t, x_0) - μ_θ(x_t, t)‖² / (2σ_t²) + const. Now use
# x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε to eliminate x_0 from the posterior mean (notebook 05):
#
# $$\tilde\mu_t = \frac{1}{\sqrt{\alpha_t}}\Big(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,\varepsilon\Big).$$
#
# x_t is the network's input, so only ε is unknown. Give μ_θ the same form with a prediction
# ε_θ(x_t, t) in place of ε (Ho et al. eq. 11). The means then differ by
# β_t / (√α_t √(1-ᾱ_t)) · (ε_θ - ε), and
#
# $$L_{t-1} = \lambda_t\, \mathbb{E}\,\|\varepsilon - \varepsilon_\theta(x_t, t)\|^2 + C_t,\qquad
#   \lambda_t = \frac{\beta_t^2}{2\sigma_t^2\,\alpha_t\,(1-\bar\alpha_t)},\quad
#   C_t = \tfrac12\Big[\log\tfrac{\sigma_t^2}{\tilde\beta_t} + \tfrac{\tilde\beta_t}{\sigma_t^2} - 1\Big].$$
#
# The network has become a **noise predictor**. The cell checks the identity on random x_0, ε,
# ε̂ and t: the KL computed from the two Gaussians, and λ_t (ε - ε̂)² + C_t, must agree to
# float32 round-off.

# %%
keys = jax.random.split(jax.random.key(4), 4)
t = jax.random.randint(keys[0], (1000,), 2, T + 1)
x0, eps, eps_hat = (jax.random.normal(k, (1000,)) for k in keys[1:])
x_t = forward.q_sample(x0, t, eps, schedule)
post_mean, post_var = posterior.q_posterior_mean_var(x0, x_t, t, schedule)  # q(x_{t-1}|x_t,x_0)

# %%
sigma2 = betas[t]  # σ_t² = β_t
one_minus_ab = schedule.one_minus_alpha_bars[t]  # 1 - ᾱ_t, from float64 (no cancellation)
mu_theta = (x_t - betas[t] / jnp.sqrt(one_minus_ab) * eps_hat) / jnp.sqrt(1 - betas[t])
kl = losses.gaussian_kl(post_mean, post_var, mu_theta, sigma2)
lam = betas[t] ** 2 / (2 * sigma2 * (1 - betas[t]) * one_minus_ab)
const = 0.5 * (jnp.log(sigma2 / post_var) + post_var / sigma2 - 1)
rel_err = jnp.abs(kl - (lam * (eps - eps_hat) ** 2 + const)) / (kl + 1e-3)
print(
    f"KL = λ_t (ε - ε̂)² + C_t on 1000 random draws, max relative error < 1e-3: {bool(rel_err.max() < 1e-3)}"
)
np.testing.assert_allclose(kl, lam * (eps - eps_hat) ** 2 + const, rtol=1e-3, atol=1e-5)
np.testing.assert_allclose(lam, losses.elbo_weights(schedule, betas)[t], rtol=1e-5)

# %% [markdown]
# ## 5. The weights λ_t, and dropping them: L_simple
#
# The plot shows λ_t for both variance choices. Notice the shape: λ_t is largest at the first
# steps, falls by a factor of about 17 (σ_t² = β_t) or 120 (σ_t² = β̃_t) to a minimum in the
# middle, and then rises slowly with β_t.
#
# Two different tasks meet at small t, and it pays to keep them apart. **Recovering x_0 is
# easy**: x_t is x_0 plus noise of standard deviation √(1-ᾱ_t) ≈ 0.03 at t = 2, so x_0 is
# known to about that. **Predicting ε is hard**: that same noise is small next to the width
# of a mode (0.1), so from x_t alone it cannot be told apart from where x_0 sits in its mode,
# and even ε* leaves a large, irreducible ε-error (notebook 07, section 2). The two are tied
# by x̂_0 = (x_t − √(1-ᾱ_t) ε̂)/√ᾱ_t: an ε-error e is an x_0-error of only √((1-ᾱ_t)/ᾱ_t) e.
# Why λ_t is large there: for σ_t² = β_t, λ_t = β_t / (2α_t(1-ᾱ_t)). At small t one step
# removes a large share β_t/(1-ᾱ_t) of all the noise in x_t, so an ε-error shifts the step's
# mean by a larger multiple of its own standard deviation σ_t. The weight measures how much an
# ε-error costs in nats, not how hard ε is to predict.
#
# Ho et al. (2020, eq. 14) simply set every λ_t to the same constant and sample t uniformly:
#
# $$L_\text{simple} = \mathbb{E}_{t\sim\mathcal U\{1..T\},\,x_0,\,\varepsilon}\,
#    \big\|\varepsilon - \varepsilon_\theta(\sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon,\ t)\big\|^2 .$$
#
# Relative to the ELBO this down-weights the small-t terms, where the *denoising* task is easy
# (recover x_0 from a slightly noisy x_t) and most of the ε-error is irreducible anyway; Ho
# et al. argue the network can then focus on the harder denoising at larger t. They report better
# samples with it (FID 3.17 on CIFAR-10 against 13.51 for the true bound with fixed
# isotropic σ_t, their Table 1) at a slightly worse likelihood bound (≤ 3.75 against
# ≤ 3.70 bits/dim). One fact makes dropping the weights safe: every term is minimised by the
# same function, ε*(x_t, t) = E[ε | x_t], whatever its weight. Weights only decide which
# errors an imperfect network should avoid first.

# %%
ts = np.arange(2, T + 1)
lam_beta = losses.elbo_weights(
    schedule, sampling.reverse_variances(schedule, sampling.Variance.BETA)
)
lam_tilde = losses.elbo_weights(
    schedule, sampling.reverse_variances(schedule, sampling.Variance.BETA_TILDE)
)
for name, lam in (("β ", lam_beta), ("β̃", lam_tilde)):
    t_min = int(jnp.argmin(lam[2:])) + 2
    print(
        f"σ² = {name}: λ_2 = {float(lam[2]):.3f}, minimum λ_{t_min} = {float(lam[t_min]):.4f}, λ_T = {float(lam[T]):.4f}"
    )

# %%
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(ts, lam_beta[2:], label=r"$\lambda_t$, $\sigma_t^2 = \beta_t$")
ax.plot(ts, lam_tilde[2:], label=r"$\lambda_t$, $\sigma_t^2 = \tilde\beta_t$")
ax.axhline(1.0, color="k", ls="--", lw=1, label=r"$L_\mathrm{simple}$: all weights equal")
ax.set(
    xlabel="step t",
    ylabel="weight of $\\|\\varepsilon - \\varepsilon_\\theta\\|^2$",
    yscale="log",
    title="ELBO weights vs the simplified loss",
)
ax.legend()
fig.tight_layout()

# %% [markdown]
# L_simple is three lines of code (Ho et al., Algorithm 1). The cell computes one Monte Carlo
# estimate on a batch and checks it against `toy_training.simple_loss`, which draws t and ε
# from the same key in the same order, so the two must agree exactly. Two reference values
# frame every training curve in notebook 07: predicting ε̂ = 0 scores E ε² = 1, and the ideal
# ε* scores the **irreducible** loss, the noise that no network can predict from x_t.

# %%
key_t, key_eps = jax.random.split(jax.random.key(5))
x0 = x_data[:, None]  # [B, 1]
t = jax.random.randint(key_t, (x0.shape[0],), 1, T + 1)  # t ~ U{1..T}
eps = jax.random.normal(key_eps, x0.shape)
x_t = forward.q_sample(x0, t, eps, schedule)
eps_ideal = mixture_eps_fn(mix, schedule)
l_simple = jnp.mean((eps - eps_ideal(x_t, t)) ** 2)
np.testing.assert_allclose(
    l_simple, simple_loss(jax.random.key(5), eps_ideal, x0, schedule), rtol=1e-6
)
l_zero = simple_loss(jax.random.key(5), lambda x_t, t: jnp.zeros_like(x_t), x0, schedule)
print(f"L_simple: ε̂ = 0 → {float(l_zero):.3f};  ideal ε* → {float(l_simple):.3f} (irreducible)")

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (derivation).** Section 4 made the network predict ε. Some models predict x_0
# instead: μ_θ(x_t, t) = μ̃_t(x_t, x̂_0) with a prediction x̂_0(x_t, t) in place of x_0. Derive
# the weight w_t in L_{t-1} = w_t (x_0 - x̂_0)² + const, and code it for t = 0..T (set
# w_0 = w_1 = 0, as for λ_t). Route: only μ̃_t's x_0 term differs between the two means; then
# use the KL's mean term. The check moves x̂_0 by one unit and measures the KL's change with
# the forward chain's variances built step by step in float64, for σ_t² = β_t and β̃_t, on a
# schedule whose first 1 - ᾱ_t are tiny (`betas` come as NumPy float64). It refuses
# `losses.elbo_weights`.


# %%
def x0_weights(betas, sigma2s):
    """w_t, shape [T + 1], with betas and sigma2s of shape [T + 1] (NumPy float64)."""
    raise NotImplementedError  # your code here


nb06.check_x0_weights(x0_weights)

# %% [markdown]
# **Exercise 2 (prediction).** In section 2 the modes were 0.1 wide and σ_t² = β_t paid fewer
# nats than β̃_t at t = 2..10. Make the five modes 30 times narrower (width 0.003), keep the
# ideal ε*, and commit before running the check: over t = 2..10, which choice now costs fewer
# nats, `"beta"`, `"beta_tilde"`, or do they cost `"the same"`? The check evaluates both
# bounds on 4000 samples for both widths.

# %%
prediction = None  # "beta", "beta_tilde" or "the same"
nb06.check_prediction_variance_choice(prediction)

# %% [markdown]
# ## Summary
#
# * log p_θ(x_0) integrates over T latent variables; the fixed forward chain q is the
#   variational distribution, and log p_θ(x_0) ≥ ELBO (claim 10).
# * -ELBO = L_T + Σ L_{t-1} + L_0, all Gaussian, all in closed form; checked against a
#   direct Monte Carlo over trajectories.
# * With μ_θ written through ε_θ, L_{t-1} = λ_t ‖ε - ε_θ‖² + C_t exactly (claim 24); L_simple
#   sets λ_t = 1. The optimum ε* is the same either way.
#
# Notebook 07 trains a small network with L_simple and measures how close it gets to ε*.

# %% [markdown]
# ## References
#
# - J. Ho, A. Jain, P. Abbeel (2020). *Denoising Diffusion Probabilistic Models.* NeurIPS. [arXiv:2006.11239](https://arxiv.org/abs/2006.11239) — the decomposition of the bound, the ε-parameterisation, the weights λ_t and L_simple.
