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
# | 10 | guidance | how do we ask for a given digit, and what does guidance trade for it? (Bayes' rule for scores; exact on 1-D, then MNIST) | [![](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/diffusion-lite/diffusion_lite/blob/main/notebooks/10_guidance.ipynb) |

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
# ## The lecture's claims, and where this series treats them
#
# The notes (*12주차 - Diffusion Models*) make these 24 claims in this order; each Korean quote is copied verbatim from them (bold and underline marks dropped, … marks a cut), and the last column says whether the series confirms, qualifies or corrects the claim.
# The other notebooks refer to these numbers ("claim 17").
#
# | # | the notes (Korean, verbatim) | in English | where | verdict |
# |---|---|---|---|---|
# | 1 | 기존의 GAN 모델에는 무수히 많은 문제점이 있었다 … mode Collapse, Non-convergence, performance degradation | GANs have many problems: mode collapse, non-convergence, degraded performance | 01 §3–5 | holds: whole modes stay empty (§3, §5) and the losses never settle (§4), over several seeds |
# | 2 | p 분포와 q 분포간에 공통점이 없을 때 수렴하지 않는 문제가 심화된다 | Non-convergence gets worse when p and q share no support | 01 §4, §6 | holds: JS is stuck at log 2 and the saturating gradient vanishes (the non-saturating one survives only via unseen tails) |
# | 3 | 겹치는 부분이 조금이라도 있다면, 점차 동화되면서 유사해짐. … 한 군데도 겹치지 않는다면 동화될 수가 없다. | With a little overlap the two distributions gradually "assimilate"; with none they cannot | 02 §1–2 | holds: once noise makes them overlap, JS decreases with distance and the gradient returns |
# | 4 | …겹칠 수 있도록 Normal distribution을 따르는 Noise를 추가해준다 … 이후에 Noise를 점차 빼면서 … | Add Normal noise so that every region of support overlaps, then remove it gradually | 02 §3–5 | holds, with a nuance: annealed Gaussian instance noise helps but does not cure collapse, and needs no gap-bridging scale |
# | 5 | Long tail을 갖춘 Noise를 더함으로써 Mode collapse를 막는다. | The added noise is "long-tailed", and this prevents mode collapse | 02 §4–5 | corrected: Gaussian noise is light-tailed; full support matters, not tails (Cauchy noise did no better); collapse is reduced, not prevented |
# | 6 | 여러 Transition T을 거쳐 $P_0 -> P_d$ 가 되었을 것이다. 그럼 이 순서를 역순으로 돌려보자. | The data arose from a simple prior through many transitions; run them in reverse | 03 §1; 07 §4 | holds; mind the notation: the notes' P₀ is the prior (noise) and P_d the data, while our x_0 is data |
# | 7 | MCMC : Burn-in 이후 Stationary 된 distribution이 Data distribution으로 가도록 한다. | As in MCMC: after burn-in, the chain's stationary distribution is the target | 03 §4 | holds, with a nuance: the chain burns in to the prior N(0, I), not to the data; KL falls with t |
# | 8 | $x_0$ : Observable variable … $x_i$ : latent variable | x_0 is observed; x_1 … x_T are latent | 03 §1 | holds |
# | 9 | Forward process[Stochastic] … Reverse Process[Deterministic] : Noise를 점차 제거. | The forward process is stochastic, the reverse process deterministic | 03 §5; 07 §4 | corrected: the true reverse step is a distribution; DDPM samples with fresh noise; only DDIM (η = 0) is deterministic |
# | 10 | …Intractability가 발생한다. 따라서 EM process를 거쳐야 한다. … Variational inference -> ELBO -> ELBO optimization | Latent variables make the likelihood intractable: EM, variational inference, the ELBO | 06 §1 | holds, with a nuance: q is the fixed forward chain, so only EM's M-step (maximise the ELBO in θ) remains |
# | 11 | Bayesian Network은 Stochastic / Generation을 의미 … Flow 모델의 경우 Deterministic / Transformation을 의미함 | The model is a Bayesian network (stochastic, generative), unlike a flow (deterministic transformation) | 03 §1; 09 §3 | holds, with a nuance: the same model is also a flow: its probability-flow ODE (DDIM, η = 0) is deterministic |
# | 12 | Full joint 에서 시작해서 Factorizing 한다. … 1). Plate notation … 2). Generative Process | Factorise the full joint; a graphical model needs plate notation and the generative process p_θ(x_{t-1} \| x_t) | 03 §1 | holds; the graph is drawn from code |
# | 13 | variational distribution(-여기선 Normal)이 부여되어 있다 … Mean Field Assumption 또한 가정하지 않는다. … Variational distribution이 같아진다. (?) | The variational distribution is given (Normal), with no mean-field assumption; model posterior and variational distribution "coincide (?)" | 05 §4 | holds, with a nuance: the fixed forward chain is the variational distribution, its posterior exact; p_θ matches only if perfect |
# | 14 | 각 단계마다 동일한 구조를 가진다(self-similar). 따라서 한 스텝이 잘 작동하면 문제없다. | Every step has the same form (self-similar): get one step right and the chain is right | 03 §2; 04 §1 | holds: one step is written once, and one induction argument covers every t |
# | 15 | 노이즈 한번 추가하기 … $\beta_t$ 는 학습할 수 있다. … 본 논문에선 $\beta_t$는 하이퍼 파라미터로 여김 | One step: q(x_t \| x_{t-1}) = N(√(1-β_t) x_{t-1}, β_t I); β_t could be learned but is a hyper-parameter | 03 §2, §6 | holds: Kingma et al. (2021) learn the schedule; DDPM fixes it, so q has no parameters |
# | 16 | SDE를 품으로써 … 수학적 귀납법을 통해 T번의 Noise 추가를 한번에 계산해준다 … 디퓨전 커널 | q(x_t \| x_0) = N(√ᾱ_t x_0, (1-ᾱ_t) I) by induction ("by solving an SDE"); this one-shot encoding is the diffusion kernel | 04 §1–2, §5 | holds, with a nuance: in discrete time a recursion, solved by induction; the SDE is its continuous limit (09 §3) |
# | 17 | 1보다 작은 "$1-\beta_s$"의 값이 t번 곱해짐에 따라서 점차 0에 수렴한다 … 노이즈가 설명하는 비중이 넘어가는 지점 | ᾱ_t → 0 as t grows, so q(x_T \| x_0) → N(0, I); at some t the noise outweighs the signal | 04 §3–4 | holds; that point is where SNR = ᾱ_t / (1-ᾱ_t) crosses 1, marked for two schedules |
# | 18 | t가 작아지면 $\bar \alpha_T -> 1-\beta_1, x_t$ -> $\sqrt{1-\beta_s}x_0 + \sqrt{\beta_1} \epsilon$ 에 수렴한다. | For small t: x_1 = √(1-β_1) x_0 + √β_1 ε | 04 §3 | holds, with a nuance: precisely, ᾱ_1 = 1 - β_1 at t = 1 (the notes write ᾱ_T and β_s) |
# | 19 | …x가 들어갈 수 있는 모든 영역에 대해서 적분을 해야한다. 그리고 일반적으로 이는 intractable하다. | The reverse step p(x_{t-1} \| x_t) by Bayes' rule needs an evidence integral over all x: intractable | 05 §1–2 | holds, with a nuance: in 1-D it is exact on a grid: nearly Gaussian for small β_t, not for large |
# | 20 | 이때 데이터를 기반으로 amortised inference를 적용한다. … MLE을 적용한다. | So infer parameters: amortised inference of μ and σ; fit θ by maximum likelihood | 05 §5; 06 §1 | holds, with a nuance: DDPM learns no inference network (q is fixed); θ maximises the ELBO, a likelihood bound |
# | 21 | $\sigma$ 에 대해서 따로 $\theta$를 부여하지 않는다 … 어차피 $\sigma$의 값을 작게 부여할 것이다 | σ_t gets no parameters: the model has enough to learn, and σ is small anyway | 05 §5 | holds: Ho et al. fix σ_t² = β_t or β̃_t; learning it (Nichol & Dhariwal 2021) improves likelihoods |
# | 22 | t번의 단계를 한번에 뛰어넘을 수 없다. 단일 스텝 별로 나아가야한다. | Because μ_θ changes with t, the reverse process cannot jump many steps at once | 07 §5; 08 §4 | corrected: true of DDPM's ancestral sampler, but DDIM skips steps with the same network, degrading only at very few |
# | 23 | $x_t, x_0$ 을 고려하여 $x_{t-1}$의 분포를 판단할 것이다 | Condition on x_0 as well: q(x_{t-1} \| x_t, x_0) is tractable | 05 §3 | holds: completing the square gives N(μ̃_t, β̃_t I), checked against Bayes on a grid and Monte Carlo |
# | 24 | 우리의 목적은 … Reverse diffusion에 대한 Loss 함수 식은 다음과 같다. | Target: p_θ(x_{t-1} \| x_t) = N(μ_θ(x_t, t), σ_t² I), and a loss for it (the notes stop here) | 06 §2–5 | holds; 06 completes it: ELBO → Gaussian KLs → λ_t ‖ε − ε_θ‖² → L_simple |

# %% [markdown]
# ## Formula sheet
#
# The whole series on one page. Steps run t = 1..T; every schedule array has length T + 1 and
# index 0 means "no noise" (`alpha_bars[0] = 1`), so `alpha_bars[t]` is ᾱ_t.
#
# | what | formula | notebook |
# |---|---|---|
# | one forward step | $q(x_t \mid x_{t-1}) = \mathcal N\big(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\big)$, $\alpha_t = 1-\beta_t$ | 03 |
# | the diffusion kernel | $\bar\alpha_t = \prod_{s=1}^{t}\alpha_s$, $q(x_t \mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t) I\big)$ | 04 |
# | one-shot sample | $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$, $\varepsilon \sim \mathcal N(0, I)$ | 04 |
# | signal-to-noise ratio | $\mathrm{SNR}(t) = \bar\alpha_t / (1-\bar\alpha_t)$ | 04 |
# | the posterior | $q(x_{t-1} \mid x_t, x_0) = \mathcal N(\tilde\mu_t, \tilde\beta_t I)$, $\tilde\beta_t = \frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$ | 05 |
# | its mean | $\tilde\mu_t = \frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}\,x_0 + \frac{\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}\,x_t$ (`posterior_mean_coef1`, `coef2`) | 05 |
# | x₀ from ε | $\hat x_0 = \big(x_t - \sqrt{1-\bar\alpha_t}\,\hat\varepsilon\big)/\sqrt{\bar\alpha_t}$ | 04, 05 |
# | the model | $p_\theta(x_{t-1} \mid x_t) = \mathcal N(\mu_\theta, \sigma_t^2 I)$, $\mu_\theta = \big(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,\varepsilon_\theta(x_t, t)\big)/\sqrt{\alpha_t}$, $\sigma_t^2 \in \{\beta_t, \tilde\beta_t\}$ | 05, 06 |
# | Gaussian KL | $\mathrm{KL}\big(\mathcal N(m_1, v_1)\,\Vert\,\mathcal N(m_2, v_2)\big) = \tfrac12\big[\log\frac{v_2}{v_1} + \frac{v_1 + (m_1-m_2)^2}{v_2} - 1\big]$ | 06 |
# | the ELBO | $-\log p_\theta(x_0) \le L_T + \sum_{t=2}^{T} L_{t-1} + L_0$, $L_{t-1} = \mathrm{KL}\big(q(x_{t-1} \mid x_t, x_0)\,\Vert\,p_\theta(x_{t-1} \mid x_t)\big)$ | 06 |
# | as an ε-error | $L_{t-1} = \lambda_t\,\mathbb E\,\Vert\varepsilon - \varepsilon_\theta(x_t, t)\Vert^2 + C$, $\lambda_t = \frac{\beta_t^2}{2\sigma_t^2\,\alpha_t\,(1-\bar\alpha_t)}$ | 06 |
# | the simple loss | $L_\text{simple} = \mathbb E_{t, x_0, \varepsilon}\,\Vert\varepsilon - \varepsilon_\theta(\sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon,\ t)\Vert^2$ | 06, 07 |
# | ancestral sampling | $x_{t-1} = \mu_\theta(x_t, t) + \sigma_t z$, $z \sim \mathcal N(0, I)$, $z = 0$ at $t = 1$ | 07 |
# | DDIM, η = 0 | $x_{t'} = \sqrt{\bar\alpha_{t'}}\,\hat x_0 + \sqrt{1-\bar\alpha_{t'}}\,\hat\varepsilon$ for any $t' < t$ | 07 |
# | the score | $\nabla_{x_t}\log q_t(x_t) \approx -\varepsilon_\theta(x_t, t)/\sqrt{1-\bar\alpha_t}$ (Tweedie) | 07, 09 |
# | guidance | $\tilde\varepsilon = (1 + w)\,\varepsilon_\theta(x_t, t, y) - w\,\varepsilon_\theta(x_t, t, \varnothing)$, the $\varepsilon$ of $q_t(x_t \mid y)\,q_t(y \mid x_t)^w$ | 10 |

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

# %%
# The data (three narrow bumps) and the linear schedule of Ho et al.
data = mixtures.make_mixture([0.3, 0.4, 0.3], [-2.0, 0.0, 2.0], [0.15, 0.15, 0.15])
betas = schedules.linear_betas(1000)  # β_1 = 1e-4 … β_T = 0.02 (Ho et al. 2020)
schedule = schedules.make_schedule(betas)  # every constant computed once, in float64
alpha_bars = schedule.alpha_bars

# %%
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
# make series   # set everything up, execute 00–10, write build/index.html and build/figures/
# make test     # set everything up, run the unit tests and nbval over every notebook
# ```
#
# **On Colab**: click a badge above. The first code cell of every notebook installs
# `diffusion_lite` when (and only when) it runs on Colab. For notebook 08 choose a GPU or TPU
# runtime to train for real.

# %% [markdown]
# ## Summary
#
# - The series follows the week-12 lecture and goes on where its notes stop: 01–02 motivate diffusion by the failures of GANs and the rescue by added noise; 03–05 build the forward chain, the diffusion kernel and the posterior of one reverse step; 06 derives the training loss from the ELBO; 07–09 train and sample models and connect them to scores, SDEs and ODEs; 10 asks for a chosen digit (classifier-free guidance).
# - One time convention holds throughout: steps t = 1..T, and every schedule array has length T + 1 with index 0 meaning "no noise", so `alpha_bars[t]` is ᾱ_t and `alpha_bars[0] = 1`.
# - The forward process turns a three-bump mixture into N(0, 1): every noisy marginal q(x_t) is again a mixture, drawn exactly, and the three modes blur into one bell curve as ᾱ_t falls from 1 towards 0.
# - For the linear schedule there is a definite step from which noise outweighs signal (signal-to-noise ratio ᾱ_t / (1 - ᾱ_t) below 1); notebook 04 derives and marks it.
# - The table of the lecture's 24 claims gives, for each, the notebook and section that treats it: 12 hold as stated, 9 hold with a nuance, and 3 are corrected (claims 5, 9 and 22).
#
# ## References
#
# - J. Ho, A. Jain, P. Abbeel (2020). *Denoising Diffusion Probabilistic Models.* NeurIPS. [arXiv:2006.11239](https://arxiv.org/abs/2006.11239) — the model and the linear β schedule used here; the paper the lecture follows.
# - J. Sohl-Dickstein, E. Weiss, N. Maheswaranathan, S. Ganguli (2015). *Deep Unsupervised Learning using Nonequilibrium Thermodynamics.* ICML. [arXiv:1503.03585](https://arxiv.org/abs/1503.03585) — diffusion as a learned reversal of a noising Markov chain, where the idea starts.
# - J. Song, C. Meng, S. Ermon (2021). *Denoising Diffusion Implicit Models.* ICLR. [arXiv:2010.02502](https://arxiv.org/abs/2010.02502) — deterministic sampling that skips steps (claims 9 and 22).
# - Y. Song, J. Sohl-Dickstein, D. P. Kingma, A. Kumar, S. Ermon, B. Poole (2021). *Score-Based Generative Modeling through Stochastic Differential Equations.* ICLR. [arXiv:2011.13456](https://arxiv.org/abs/2011.13456) — the continuous-time SDE and the probability-flow ODE behind the chain (claims 11 and 16).
# - A. Nichol, P. Dhariwal (2021). *Improved Denoising Diffusion Probabilistic Models.* ICML. [arXiv:2102.09672](https://arxiv.org/abs/2102.09672) — the cosine schedule and learned reverse variances (claim 21).
# - J. Ho, T. Salimans (2022). *Classifier-Free Diffusion Guidance.* NeurIPS Workshop on Deep Generative Models. [arXiv:2207.12598](https://arxiv.org/abs/2207.12598) — guidance (notebook 10).
# - D. P. Kingma, T. Salimans, B. Poole, J. Ho (2021). *Variational Diffusion Models.* NeurIPS. [arXiv:2107.00630](https://arxiv.org/abs/2107.00630) — learning the noise schedule (claim 15).
# - C. Luo (2022). *Understanding Diffusion Models: A Unified Perspective.* [arXiv:2208.11970](https://arxiv.org/abs/2208.11970) — a tutorial that derives the posterior, the ELBO and the ε-loss in one notation; a companion to notebooks 03–06.
