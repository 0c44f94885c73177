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
# # 00 · Roadmap: diffusion models from first principles
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/00_roadmap.ipynb)
#
# This series follows the week-12 lecture on diffusion models (노트: *12주차 - Diffusion
# Models*) and goes on where the notes stop. Every derivation appears twice: as math, and as
# a numerical check you can rerun. The code lives in the small JAX package `diffusion_lite`;
# each notebook shows the one cell that *is* the idea and checks it against the package.

# %%
# Colab only: install diffusion_lite (does nothing when run locally).
import sys

if "google.colab" in sys.modules:
    %pip install -q "diffusion_lite @ git+https://github.com/diffusion-lite/diffusion_lite"

# %% [markdown]
# ## The arc
#
# | # | notebook | the question it answers | Colab |
# |---|---|---|---|
# | 00 | roadmap | where are we going, and in which notation? | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/00_roadmap.ipynb) |
# | 01 | GAN mode collapse | why do GANs drop modes and fail to converge when p and q share no support? | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/01_gan_mode_collapse.ipynb) |
# | 02 | noise smoothing | does adding (then annealing) noise make the supports overlap and the GAN learn? | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/02_noise_smoothing.ipynb) |
# | 03 | Markov forward chain | what is the forward process q(x_t \| x_{t-1}), as a Bayesian network? | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/03_markov_forward_chain.ipynb) |
# | 04 | diffusion kernel ᾱ_t | why can we jump from x_0 to any x_t in one shot (proof by induction)? | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/04_diffusion_kernel_alpha_bar.ipynb) |
# | 05 | Bayesian posterior | why is p(x_{t-1} \| x_t) intractable but q(x_{t-1} \| x_t, x_0) Gaussian? | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/05_bayesian_posterior.ipynb) |
# | 06 | ELBO and loss | how does the ELBO become a simple ε-prediction MSE? (the notes stop before this) | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/06_elbo_and_loss.ipynb) |
# | 07 | 1-D diffusion | train and sample a 1-D model; compare with the exact optimum and with the GAN | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/07_diffusion_1d.ipynb) |
# | 08 | MNIST denoiser | a jit-compiled U-Net that turns noise into digits on CPU, GPU or TPU | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/08_mnist_denoiser.ipynb) |
# | 09 | scores and the ODE | what are the score, Langevin dynamics and the SDE/ODE behind the chain, and is a diffusion model also a flow? (2-D, exact answers) | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/09_scores_and_ode.ipynb) |

# %% [markdown]
# ## Notation: lecture symbol → code name
#
# One time convention everywhere: steps t = 1..T, and every schedule array has length T + 1
# with index 0 meaning "no noise", so `alpha_bars[t]` *is* ᾱ_t and `alpha_bars[0] = 1`.
# The column "the notes write" quotes the lecture notes verbatim (they often use the English
# term); "한국어" gives the usual Korean term, to help you match other Korean texts.
#
# | symbol | English | the notes write | 한국어 | code |
# |---|---|---|---|---|
# | x_0 | data, the observed variable | "Observable variable" | 관측 변수 | `x0` |
# | x_1 … x_T | latent variables | "latent variable" (for x_i) | 잠재 변수 | `x_t`, `x_prev` |
# | q(x_t \| x_{t-1}) | forward step: add noise once | "노이즈 한번 추가하기", "Forward process" | 순방향 과정 | `forward.q_step` |
# | β_t | noise variance of step t (fixed, not learned) | "하이퍼 파라미터로 여김" (treated as a hyper-parameter) | t단계의 노이즈 분산 | `betas` |
# | α_t = 1 - β_t | signal kept by step t | | | `alphas` |
# | ᾱ_t = ∏_{s≤t} α_s | signal kept after t steps | | | `alpha_bars` |
# | q(x_t \| x_0) = N(√ᾱ_t x_0, (1-ᾱ_t) I) | the diffusion kernel | "디퓨전 커널" | 확산 커널 | `forward.q_sample` |
# | ᾱ_t / (1 - ᾱ_t) | signal-to-noise ratio | | 신호 대 잡음비 | `schedules.snr` |
# | ε, ε_θ | the noise, the network's guess of it | "노이즈", "Noise" | 노이즈 | `eps`, `eps_hat` |
# | q(x_{t-1} \| x_t, x_0) = N(μ̃_t, β̃_t I) | forward-process posterior | | 사후 분포 | `posterior.q_posterior_mean_var` |
# | μ̃_t coefficients | of x_0 and of x_t | | | `posterior_mean_coef1`, `posterior_mean_coef2` |
# | β̃_t | posterior variance | | | `posterior_variance` |
# | p_θ(x_{t-1} \| x_t) = N(μ_θ, σ_t² I) | reverse step, learned | "Reverse diffusion", "Reverse Process", "Generative Process" | 역방향 과정 | `sampling.p_sample_step` |
# | ELBO | evidence lower bound | "ELBO" | 증거 하한 | `losses`, notebook 06 |
# | — | mathematical induction | "수학적 귀납법" | 수학적 귀납법 | notebook 04 |
# | — | Bayesian network | "Bayesian Network" | 베이지안 네트워크 | `graphical` |

# %% [markdown]
# ## The notes' notation → the series' notation
#
# The notes use a few symbols differently from this series (and from Ho et al. 2020). The
# left column is verbatim from the notes (their LaTeX written out as plain text); read it as
# the right column.
#
# | the notes write | meaning there | in this series |
# |---|---|---|
# | "Complex Data distribution P_d" | the data distribution | q(x_0): x_0 is the **data** |
# | "Prior Data distribution P_0" | the simple prior (noise) | p(x_T) = N(0, I): the noise end is x_T, not x_0 |
# | "P_0 -> P_d" | the generative direction, noise → data | x_T → x_0 (the reverse process) |
# | p(x_t \| x_0), P(x_t \| x_0), once q(x_T \| x_0) | the forward kernel | q(x_t \| x_0): q is always the fixed forward process |
# | p(x_{t-1} \| x_t) | the true reverse step, by Bayes' rule | p(x_{t-1} \| x_t) without θ: the true reverse step (intractable, notebook 05) |
# | p_θ(x_{t-1} \| x_t) | the learned reverse step | p_θ(x_{t-1} \| x_t), the same |
# | "x_i : latent variable" | the noisy variables | x_t, t = 1..T |
# | "Transition T" | the chain's transitions | the T steps of the chain; T is their number |
# | "ᾱ_T -> 1-β_1" (after "t가 작아지면") | ᾱ at the first step | ᾱ_1 = 1 - β_1 |
#
# One more trap: the notes' opening says "Reverse diffusion을 쭉 거치면 Prior data
# distribution P_0가 될 것이다", so there "reverse" runs data → prior. From the section
# "Diffusion Process" on, and in this series, the reverse process runs noise → data and the
# forward process data → noise.

# %% [markdown]
# ## A first look: data dissolving into noise
#
# The whole series in one picture. Take a 1-D mixture of three narrow bumps as the data
# distribution q(x_0). Adding noise step by step, the marginal q(x_t) is again a mixture, in
# closed form (`mixtures.diffuse_mixture`), so we can draw it exactly. Look for the three
# modes blurring into one bell curve, N(0, 1), as ᾱ_t falls from 1 towards 0. Notebooks
# 01–05 explain why we want this; 06–08 learn to run it backwards.

# %%
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

from diffusion_lite.core import schedules
from diffusion_lite.toys import mixtures

np.set_printoptions(precision=4, suppress=True)

data = mixtures.make_mixture([0.3, 0.4, 0.3], [-2.0, 0.0, 2.0], [0.15, 0.15, 0.15])
betas = schedules.linear_betas(1000)  # β_1 = 1e-4 … β_T = 0.02 (Ho et al. 2020)
schedule = schedules.make_schedule(betas)  # every constant computed once, in float64
alpha_bars = schedule.alpha_bars

grid = jnp.linspace(-4, 4, 801)
fig, ax = plt.subplots(figsize=(9, 3.5))
for t in (0, 50, 150, 300, 1000):
    density = mixtures.mixture_pdf(grid, *mixtures.diffuse_mixture(*data, alpha_bars[t]))
    ax.plot(grid, density, label=rf"$t$ = {t}  ($\bar\alpha_t$ = {float(alpha_bars[t]):.3f})")
ax.set_xlabel(r"$x_t$")
ax.set_ylabel(r"density $q(x_t)$")
ax.set_title("The forward process turns data into N(0, 1)")
ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
fig.tight_layout()
plt.show()

# %% [markdown]
# The numbers behind the picture: ᾱ_t and the noise variance 1 - ᾱ_t at a few steps, and
# the step where the noise starts to outweigh the signal (signal-to-noise ratio
# ᾱ_t / (1 - ᾱ_t) below 1; notebook 04). Look for: at t = 1, ᾱ_1 = 1 - β_1 = 0.9999, not 1,
# so x_1 = √(1-β_1) x_0 + √β_1 ε is x_0 plus noise of standard deviation 0.01 (the notes'
# small-t remark, claim 18).

# %%
snr = schedules.snr(schedule)
crossing = int(jnp.argmax(snr[1:] < 1.0)) + 1
for t in (1, 100, 500, 1000):
    a_bar = float(alpha_bars[t])
    print(f"t = {t:4d}:  ᾱ_t = {a_bar:.6f}   1 - ᾱ_t = {1.0 - a_bar:.2e}")
print(f"noise outweighs signal from t = {crossing} on (SNR = {float(snr[crossing]):.3f})")

# %% [markdown]
# ## Running the series
#
# **Locally** (Python 3.11, Linux or macOS), from a clone of the repository:
#
# ```bash
# make series   # set everything up, execute 00–09, write build/index.html and build/figures/
# make test     # set everything up, run the unit tests and nbval over every notebook
# ```
#
# **On Colab**: click a badge above. The first code cell of every notebook installs
# `diffusion_lite` when (and only when) it runs on Colab. For notebook 08 choose a GPU or TPU
# runtime to train for real.
