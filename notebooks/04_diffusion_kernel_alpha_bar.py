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
# # 04 · The diffusion kernel q(x_t | x_0): ᾱ_t by induction
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/04_diffusion_kernel_alpha_bar.ipynb)
#
# Notebook 03 walked the chain x_0 → x_1 → … → x_T one noisy step at a time. Here we prove
# that we never have to: t steps collapse into one Gaussian, the **diffusion kernel**
# (디퓨전 커널)
#
# $$q(x_t \mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t)\,I\big),
#   \qquad \bar\alpha_t = \prod_{s=1}^{t} (1-\beta_s).$$
#
# 1. the proof by **induction** (수학적 귀납법), checked symbolically with sympy;
# 2. the same fact **numerically**: the step-by-step chain against the one-shot kernel
#    (moments and a Kolmogorov–Smirnov test);
# 3. the **limits** the lecture states: ᾱ_t → 0, so q(x_T | x_0) → N(0, I); and small t;
# 4. **schedules**: linear vs cosine, ᾱ_t and the signal-to-noise ratio, digits at several t;
# 5. the kernel as a one-shot **encoding** of x_0 into x_t.

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
import sympy as sp

from diffusion_lite.core import forward, posterior, schedules
from diffusion_lite.exercises import nb04
from diffusion_lite.toys import toy_digits

np.set_printoptions(precision=4, suppress=True)

# %%
betas = schedules.linear_betas(1000)  # β_1 = 1e-4 … β_T = 0.02 (Ho et al. 2020)
schedule = schedules.make_schedule(betas)  # every constant computed once, in float64
alpha_bars = schedule.alpha_bars
cosine_schedule = schedules.make_schedule(schedules.cosine_betas(1000))
cosine_alpha_bars = cosine_schedule.alpha_bars  # Nichol & Dhariwal

# %% [markdown]
# ## 1. The proof by induction
#
# Every step has the same form (self-similar), and nothing in it is learned, so one
# argument covers all t.
#
# **Claim.** For every t ≥ 1, x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε̄_t with ε̄_t ~ N(0, I), i.e.
# q(x_t | x_0) = N(√ᾱ_t x_0, (1-ᾱ_t) I).
#
# **Base case, t = 1.** One step: x_1 = √(1-β_1) x_0 + √β_1 ε_1, and ᾱ_1 = 1 - β_1. ✓
#
# **Hypothesis at t - 1.** x_{t-1} = √ᾱ_{t-1} x_0 + √(1-ᾱ_{t-1}) ε̄_{t-1}.
#
# **One more step** (α_t = 1 - β_t, ε_t independent of ε̄_{t-1}):
#
# $$x_t = \sqrt{\alpha_t}\,x_{t-1} + \sqrt{1-\alpha_t}\,\varepsilon_t
#       = \sqrt{\alpha_t\bar\alpha_{t-1}}\,x_0
#       + \underbrace{\sqrt{\alpha_t(1-\bar\alpha_{t-1})}\,\bar\varepsilon_{t-1}
#       + \sqrt{1-\alpha_t}\,\varepsilon_t}_{\text{sum of independent zero-mean Gaussians}}.$$
#
# A sum of independent Gaussians is Gaussian with the variances added:
# α_t(1-ᾱ_{t-1}) + 1 - α_t = 1 - α_t ᾱ_{t-1} = 1 - ᾱ_t. And √(α_t ᾱ_{t-1}) = √ᾱ_t. ∎
#
# *On the lecture's wording.* The notes say we obtain q(x_t | x_0) "by solving an SDE":
# "SDE를 품으로써" [sic; read 풂으로써, "by solving"]. In this discrete-time model there is no stochastic differential equation
# to solve: it is a linear recursion, and induction solves it. The SDE view (Song et al.
# 2021, dx = -½ β(t) x dt + √β(t) dW) is the continuous-time *limit* of this chain for
# T → ∞ and small β_t; there ᾱ becomes exp(-∫β). Section 3 shows how close the discrete
# ᾱ_T already is to that limit.
#
# Now the same argument by computer algebra. Look for `0` on every line: the induction step
# for a *general* t (ᾱ_{t-1} and α_t are free symbols), the base case, and, as a second
# check, four steps unrolled with four free α's (α_s = 1 - β_s).

# %%
x0, eps_bar, eps_t = sp.symbols("x_0 epsbar_{t-1} eps_t", real=True)
ab_prev, alpha_t = sp.symbols("alphabar_{t-1} alpha_t", positive=True)

x_prev = sp.sqrt(ab_prev) * x0 + sp.sqrt(1 - ab_prev) * eps_bar  # hypothesis at t - 1
x_t = sp.sqrt(alpha_t) * x_prev + sp.sqrt(1 - alpha_t) * eps_t  # one more step
mean = x_t.subs({eps_bar: 0, eps_t: 0})
var = sp.diff(x_t, eps_bar) ** 2 + sp.diff(x_t, eps_t) ** 2  # independent, unit variance
ab_t = alpha_t * ab_prev
print("variance of x_t given x_0:      ", sp.expand(var))
print("step, mean - √ᾱ_t x_0:          ", sp.simplify(mean - sp.sqrt(ab_t) * x0))
print("step, variance - (1 - ᾱ_t):     ", sp.simplify(var - (1 - ab_t)))
print("base case t = 1 (ᾱ_0 = 1):      ", sp.simplify((var - (1 - ab_t)).subs(ab_prev, 1)))

# %%
# The second check: four steps unrolled, with four free α's.
alphas = sp.symbols("alpha_1:5", positive=True)  # α_s = 1 - β_s
x, noise_var = x0, 0
for a in alphas:  # four explicit steps: x ← √α x + √(1-α) ε
    x, noise_var = sp.sqrt(a) * x, a * noise_var + (1 - a)
ab_4 = sp.prod(alphas)
print("4 steps, mean - √ᾱ_4 x_0:       ", sp.simplify(x - sp.sqrt(ab_4) * x0))
print("4 steps, variance - (1 - ᾱ_4):  ", sp.simplify(noise_var - (1 - ab_4)))

# %% [markdown]
# ## 2. The same fact numerically: t steps vs one shot
#
# The idea in one cell: start 20 000 copies of x_0 = 0.8, run the chain step by step
# (`forward.q_chain`), and separately jump straight to x_t with the kernel,
# x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε (`forward.q_sample`). Look for: both columns matching the
# exact mean and variance to within a few Monte Carlo standard errors (the s.e. of a mean is
# √(v/n), that of a variance v is about v √(2/n) ≈ 0.01 v).

# %%
n, x0_value = 20_000, 0.8
x0s = jnp.full((n,), x0_value)
key_chain, key_kernel = jax.random.split(jax.random.key(0))
chain = forward.q_chain(key_chain, x0s, schedule)  # [T + 1, n]: t steps, one at a time
check_t = (1, 10, 100, 500, 1000)
one_shot = {}
for t in check_t:
    eps = jax.random.normal(jax.random.fold_in(key_kernel, t), (n,))
    one_shot[t] = forward.q_sample(x0s, t, eps, schedule)  # one multiply-add

# %%
# Both samples against the exact moments, in units of the Monte Carlo standard error.
worst_z = 0.0
print("   t | chain: mean     var | one shot: mean    var | exact: mean    var")
for t in check_t:
    mean, var = forward.q_xt_x0_mean_var(jnp.array([x0_value]), t, schedule)
    m, v = float(mean[0]), float(var[0])
    row = [float(f(s)) for s in (chain[t], one_shot[t]) for f in (jnp.mean, jnp.var)]
    print(
        f"{t:4d} | {row[0]:11.4f} {row[1]:7.4f} | {row[2]:14.4f} {row[3]:6.4f} | {m:11.4f} {v:6.4f}"
    )
    se_mean, se_var = np.sqrt(v / n), v * np.sqrt(2 / n)  # Monte Carlo standard errors
    deviations = np.abs(np.array(row) - [m, v, m, v]) / [se_mean, se_var, se_mean, se_var]
    worst_z = max(worst_z, float(deviations.max()))
assert worst_z < 5.0
print(f"largest deviation from the exact moments: {worst_z:.1f} standard errors")

# %% [markdown]
# Moments are not the whole distribution. The Kolmogorov–Smirnov statistic
# D = sup_x |F̂(x) - F(x)| compares the empirical CDF of the *chain's* samples with the
# kernel's exact Gaussian CDF. If the samples really come from q(x_t | x_0), D stays below
# 1.63/√n ≈ 0.0115 with probability 99 %. Look for: every D below that line.

# %%
critical = 1.63 / np.sqrt(n)
print(f"KS statistic D of the chain's x_t against N(√ᾱ_t x_0, 1-ᾱ_t)   (99 % bound {critical:.4f})")
for t in check_t:
    mean, var = forward.q_xt_x0_mean_var(jnp.array([x0_value]), t, schedule)
    z = (jnp.sort(chain[t]) - mean[0]) / jnp.sqrt(var[0])
    cdf = jax.scipy.stats.norm.cdf(z)
    ranks = jnp.arange(1, n + 1) / n
    d = float(jnp.maximum(jnp.max(ranks - cdf), jnp.max(cdf - (ranks - 1 / n))))
    print(f"t = {t:4d}: D = {d:.4f}  {'below' if d < critical else 'ABOVE'} the bound")

# %% [markdown]
# The same samples as histograms, with the exact kernel density on top. Look for: three
# overlapping histograms at every t.

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3))
for ax, t in zip(axes, (10, 100, 500), strict=True):
    mean, var = forward.q_xt_x0_mean_var(jnp.array([x0_value]), t, schedule)
    m, sd = float(mean[0]), float(jnp.sqrt(var[0]))
    grid = jnp.linspace(m - 4.5 * sd, m + 4.5 * sd, 400)
    ax.hist(np.asarray(chain[t]), bins=80, density=True, alpha=0.5, label="t steps (chain)")
    ax.hist(np.asarray(one_shot[t]), bins=80, density=True, alpha=0.5, label="one shot (kernel)")
    exact = jax.scipy.stats.norm.pdf(grid, m, sd)
    ax.plot(grid, exact, "k", label="exact $q(x_t \\mid x_0)$")
    ax.set(title=f"t = {t}, $x_0$ = {x0_value}", xlabel="$x_t$", ylabel="density")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 3. The limits the lecture states
#
# **Large t** (claim 17). Each factor 1 - β_s < 1, so ᾱ_t → 0: the mean √ᾱ_t x_0 → 0 and the
# variance 1 - ᾱ_t → 1, whatever x_0 was. How close is q(x_T | x_0) to N(0, 1)? For Gaussians
# KL(N(m, v) ‖ N(0, 1)) = ½(v + m² - 1 - log v). Look for: a KL of order 10⁻⁵ even for x_0 at
# the edge of the data range, and the discrete ᾱ_T close to its continuous-time limit
# exp(-Σ β_t).
#
# **Small t** (claim 18). At t = 1 the kernel *is* one step: ᾱ_1 = 1 - β_1 and
# x_1 = √(1-β_1) x_0 + √β_1 ε. (The notes write "t small ⇒ ᾱ_t → 1 - β_1"; precisely, ᾱ_1 = 1 - β_1
# and ᾱ_t → 1 as t → 0.) The second cell below checks this.

# %%
for name, ab in (("linear", alpha_bars), ("cosine", cosine_alpha_bars)):
    ab_T = float(ab[-1])
    for x0_edge in (0.0, 1.0):
        m, v = np.sqrt(ab_T) * x0_edge, 1.0 - ab_T
        kl = 0.5 * (v + m**2 - 1.0 - np.log(v))
        print(f"{name}: ᾱ_T = {ab_T:.2e};  KL(q(x_T | x_0 = {x0_edge}) ‖ N(0, 1)) = {kl:.1e}")
ab_T, limit = float(alpha_bars[-1]), float(jnp.exp(-jnp.sum(betas)))
print(f"linear: ᾱ_T = {ab_T:.3e} vs continuous-time limit exp(-Σβ) = {limit:.3e}")

# %% [markdown]
# Small t: the kernel at t = 1 against one forward step with the same ε. Recomputed in
# float32 from a stored ᾱ_1 = 0.9999, 1 - ᾱ_1 = 10⁻⁴ keeps only three of float32's ~7
# digits (cancellation), and the two agree only to about 10⁻⁶. That is why
# `schedules.make_schedule` computes 1 - ᾱ_t (and every other constant) once in float64
# and only then rounds to float32: the package's kernel and step then agree to float32
# rounding, as in float64.

# %%
x0_small = jnp.linspace(-1.0, 1.0, 5)
eps = jax.random.normal(jax.random.key(3), (5,))
one_shot = forward.q_sample(x0_small, 1, eps, schedule)  # float32, as everywhere
one_step = forward.q_step(x0_small, 1, eps, schedule)
gap32 = float(jnp.max(jnp.abs(one_shot - one_step)))
ab32 = alpha_bars[1]  # float32 ᾱ_1; 1 - ab32 below cancels
naive = jnp.sqrt(ab32) * x0_small + jnp.sqrt(1.0 - ab32) * eps
gap_naive = float(jnp.max(jnp.abs(naive - one_step)))

# %%
# The same two formulas in NumPy float64: ᾱ_1 = 1 - β_1, then kernel minus one step.
x0_64, eps64 = np.asarray(x0_small, np.float64), np.asarray(eps, np.float64)
beta_1 = float(betas[1])
ab_1 = 1.0 - beta_1
kernel64 = np.sqrt(ab_1) * x0_64 + np.sqrt(1.0 - ab_1) * eps64
step64 = np.sqrt(1.0 - beta_1) * x0_64 + np.sqrt(beta_1) * eps64
gap64 = float(np.max(np.abs(kernel64 - step64)))
assert gap32 < 1e-6 < gap_naive, (gap32, gap_naive)
print(f"t = 1: ᾱ_1 = {float(alpha_bars[1]):.6f} = 1 - β_1")
print("max |kernel - one step|: float32 with 1 - ᾱ_1 recomputed in float32 > 1e-6")
print("                         float32 from make_schedule (float64, then rounded) < 1e-6")
print(f"                         float64 {gap64:.1e}")

# %% [markdown]
# **The whole flow, animated.** Applied to a whole distribution, the kernel moves all of it:
# notebook 03's three-bump data density becomes, exactly,
# q(x_t) = Σ_k w_k N(√ᾱ_t μ_k, ᾱ_t s_k² + 1 - ᾱ_t) (`mixtures.diffuse_mixture`). The
# animation runs t = 0 → T and back again: an exact reverse process passes through the same
# marginals in the opposite order, which is what notebooks 05–07 learn to do. Look for: the
# bumps widening and sliding together long before t = T (with the linear schedule ᾱ_t is below
# 0.1 from t = 476 on), and the last frames lying on the dashed N(0, 1).

# %%
# The frames: exact q(x_t) on a grid at 25 times t, dense at small t.
from diffusion_lite.toys import mixtures

data = mixtures.make_mixture([0.3, 0.4, 0.3], [-2.0, 0.0, 2.0], [0.15, 0.15, 0.15])  # as in 03
xs = jnp.linspace(-4.0, 4.0, 401)
ts = np.unique(np.round(np.linspace(0.0, 1.0, 25) ** 2 * 1000).astype(int))  # dense at small t
marginals = [mixtures.diffuse_mixture(*data, alpha_bars[t]) for t in ts]  # exact q(x_t)
flow = np.stack([mixtures.mixture_pdf(xs, *q_t) for q_t in marginals])

# %%
# NBVAL_IGNORE_OUTPUT
# (a GIF's bytes differ between CPUs and between matplotlib and Pillow versions)
from IPython.display import HTML, display

from diffusion_lite.plots.animation import density_flow_gif, gif_html

titles = [f"forward: $t$ = {t}, $\\bar\\alpha_t$ = {float(alpha_bars[t]):.3f}" for t in ts]
titles += [title.replace("forward", "back again") for title in titles[::-1]]
standard_normal = np.exp(-0.5 * np.asarray(xs) ** 2) / np.sqrt(2 * np.pi)
gif = density_flow_gif(xs, np.concatenate([flow, flow[::-1]]), titles, reference=standard_normal)
display(HTML(gif_html(gif, "q(x_t) flowing from the data to N(0, 1) and back")))

# %%
# What the animation claims: its first frame is the data density, its last N(0, 1).
assert np.max(np.abs(flow[0] - np.asarray(mixtures.mixture_pdf(xs, *data)))) < 1e-5
assert np.max(np.abs(flow[-1] - standard_normal)) < 1e-3
print(f"{len(ts)} frames each way; at t = T the density is within 1e-3 of N(0, 1) everywhere")

# %% [markdown]
# ## 4. Schedules: linear vs cosine
#
# The kernel depends on the schedule only through ᾱ_t. The signal-to-noise ratio
# SNR(t) = ᾱ_t / (1 - ᾱ_t) says how much of x_t is x_0; where it crosses 1, noise starts to
# outweigh signal ("노이즈가 설명하는 비중이 넘어가는 지점", claim 17). Look for: the linear
# schedule destroying the signal early (ᾱ_t near 0 for the last ~40 % of the steps, which
# then do little), the cosine schedule spreading the destruction evenly, and the two SNR = 1
# crossings marked.

# %%
crossings = {}
for name, sched in (("linear", schedule), ("cosine", cosine_schedule)):
    crossing = int(jnp.argmax(schedules.snr(sched)[1:] < 1.0)) + 1
    crossings[name] = crossing
    print(f"{name}: SNR < 1 from t = {crossing} on (ᾱ_t = {float(sched.alpha_bars[crossing]):.3f})")

# %%
fig, (ax_ab, ax_snr) = plt.subplots(1, 2, figsize=(12, 3.8))
ts = np.arange(1, 1001)
for i, (name, sched) in enumerate((("linear", schedule), ("cosine", cosine_schedule))):
    snr, c = schedules.snr(sched), crossings[name]
    ax_ab.plot(ts, np.asarray(sched.alpha_bars[1:]), f"C{i}", label=name)
    ax_snr.semilogy(ts, np.asarray(snr[1:]), f"C{i}", label=name)
    ax_snr.plot(c, float(snr[c]), f"C{i}o", label=f"{name}: SNR = 1 at t = {c}")
ax_snr.axhline(1.0, color="0.5", ls=":")
ax_ab.set(xlabel="t", ylabel=r"$\bar\alpha_t$", title="Signal kept after t steps")
snr_label = r"SNR(t) = $\bar\alpha_t\,/\,(1 - \bar\alpha_t)$"
ax_snr.set(xlabel="t", ylabel=snr_label, title="Signal-to-noise ratio")
ax_ab.legend()
ax_snr.legend(fontsize=8)
plt.show()

# %% [markdown]
# The same, on images: one digit, the same ε for every column, jumped to x_t in one shot
# with each schedule. (Synthetic seven-segment digits stand in for MNIST so that this
# notebook needs no download.) Look for: the cosine row keeping the digit visible longer.
# The grey scale runs from -1 (black) to 1 (white), the range of x_0; noisy pixels outside
# it are clipped for display only.

# %%
digit = toy_digits.synthetic_digits([3])  # [1, 28, 28], values in [-1, 1]
eps = jax.random.normal(jax.random.key(4), digit.shape)
show_t = (0, 100, 250, 400, 600, 800, 1000)
fig, axes = plt.subplots(2, len(show_t), figsize=(11, 3.6))
for row, (name, sched) in enumerate((("linear", schedule), ("cosine", cosine_schedule))):
    for col, t in enumerate(show_t):
        x_t = digit if t == 0 else forward.q_sample(digit, t, eps, sched)
        axes[row, col].imshow(x_t[0], cmap="gray", vmin=-1.0, vmax=1.0)
        axes[row, col].set_xticks([])
        axes[row, col].set_yticks([])
        axes[0, col].set_title(f"t = {t}")
    axes[row, 0].set_ylabel(name)
plt.show()

# %% [markdown]
# ## 5. The kernel as a one-shot encoding
#
# The kernel maps x_0 to x_t in one step, with no learned parameters: a fixed, stochastic
# *encoder* ("이처럼 x_0 에서 x_T로 한번에 encoding 하는 것을 디퓨전 커널이라고 한다").
# Training will use exactly this: pick a random t, draw ε, form x_t in one multiply-add, and
# never run the chain. Because the map is affine in ε, it is also invertible when ε is known:
# x_0 = (x_t - √(1-ᾱ_t) ε) / √ᾱ_t (`posterior.predict_x0_from_eps`). A network that can
# guess ε from x_t can therefore guess x_0: the idea behind the ε-prediction loss of
# notebook 06. Look for: the digit recovered from nearly pure noise up to float32 rounding,
# amplified by 1/√ᾱ_t at large t.

# %%
eps = jax.random.normal(jax.random.key(5), digit.shape)
for t in (100, 500, 1000):
    x_t = forward.q_sample(digit, t, eps, schedule)
    x0_back = posterior.predict_x0_from_eps(x_t, t, eps, schedule)
    bound = 1e-6 / float(jnp.sqrt(alpha_bars[t]))  # float32 rounding, amplified by 1/√ᾱ_t
    np.testing.assert_allclose(x0_back, digit, atol=bound)
    print(f"t = {t:4d}: √ᾱ_t = {float(jnp.sqrt(alpha_bars[t])):.4f}, max |x̂_0 - x_0| < {bound:.0e}")

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Compute ᾱ from β: return `alpha_bars` of length T + 1 with ᾱ_0 = 1 and
# ᾱ_t = ᾱ_{t-1} (1 - β_t). The check compares with an explicit loop over the steps and refuses
# `schedules.make_schedule`.

# %%
def alpha_bars_from(betas):
    """ᾱ_t for t = 0..T from betas of shape [T + 1] (betas[0] = 0)."""
    raise NotImplementedError  # your code here


nb04.check_alpha_bars(alpha_bars_from)

# %% [markdown]
# **Exercise 2 (derivation).** Section 1 jumped from x_0 to x_t. Jump from any x_s instead:
# derive the mean and variance of q(x_t | x_s) for 0 ≤ s ≤ t ≤ T, and code them. Route: redo
# the induction, starting from x_s. The check composes the steps s+1..t one at a time in
# float64, for s = 0, s = t, t = s + 1, t = T and some pairs in between, and wants the variance
# to 10⁻⁴ relative even where it is tiny (`betas` come as NumPy float64).

# %%
def kernel_from(x_s, s, t, betas):
    """(mean of shape x_s.shape, variance) of q(x_t | x_s); betas: NumPy float64, [T + 1]."""
    raise NotImplementedError  # your code here


nb04.check_kernel_from(kernel_from)

# %% [markdown]
# **Exercise 3 (derivation).** Design a schedule: with the *same* β at every step, which β
# leaves exactly ᾱ_T of the signal after T steps? The check runs T steps of your β.

# %%
def constant_beta(T, alpha_bar_T):
    """The constant beta that leaves alpha_bar_T after T equal steps."""
    raise NotImplementedError  # your code here


nb04.check_constant_beta(constant_beta)

# %% [markdown]
# **Exercise 4 (prediction).** Keep the linear schedule's range, β_1 = 10⁻⁴ … β_T = 0.02,
# but take T = 2000 steps instead of 1000. Before running the check, commit: compared with
# ᾱ_T for T = 1000, will ᾱ_T be `"about the same"`, `"about half"` or `"about its square"`?
# The check then computes both and says why.

# %%
prediction = None  # "about the same", "about half" or "about its square"
nb04.check_prediction_more_steps(prediction)

# %% [markdown]
# ## Summary
#
# - By induction, t forward steps collapse into one Gaussian, q(x_t | x_0) = N(√ᾱ_t x_0, (1-ᾱ_t) I) with ᾱ_t = ∏_{s≤t} (1-β_s); this is checked symbolically (sympy) and numerically (moments and a Kolmogorov–Smirnov test of the step-by-step chain against the one-shot kernel).
# - In discrete time this is a linear recursion, solved by induction rather than by solving an SDE; the SDE is the continuous-time limit, in which ᾱ becomes exp(-∫β).
# - For large t, ᾱ_t → 0 and q(x_T | x_0) is within a tiny KL of N(0, 1) for both schedules. For small t, ᾱ_1 = 1 - β_1 and the kernel is exactly one step; in float32, kernel and step agree to rounding only because 1 - ᾱ_t is computed in float64 first.
# - The signal-to-noise ratio ᾱ_t / (1 - ᾱ_t) crosses 1 where noise starts to outweigh signal; the linear schedule destroys the signal early, the cosine schedule more evenly.
# - The kernel is a fixed, one-shot encoder; when ε is known, x_0 = (x_t - √(1-ᾱ_t) ε) / √ᾱ_t, the idea behind predicting ε.
#
# ## References
#
# - J. Ho, A. Jain, P. Abbeel (2020). *Denoising Diffusion Probabilistic Models.* NeurIPS. [arXiv:2006.11239](https://arxiv.org/abs/2006.11239) — the linear schedule.
# - A. Nichol, P. Dhariwal (2021). *Improved Denoising Diffusion Probabilistic Models.* ICML. [arXiv:2102.09672](https://arxiv.org/abs/2102.09672) — the cosine schedule.
# - Y. Song, J. Sohl-Dickstein, D. P. Kingma, A. Kumar, S. Ermon, B. Poole (2021). *Score-Based Generative Modeling through Stochastic Differential Equations.* ICLR. [arXiv:2011.13456](https://arxiv.org/abs/2011.13456) — the SDE of which the chain is the discrete-time version.
