"""FLOPs from XLA's cost analysis: a matrix product costs 2·m·n·k."""

import jax.numpy as jnp

from diffusion_lite.mnist.flops import program_flops


def test_matmul_costs_two_m_n_k():
    a, b = jnp.ones((8, 16)), jnp.ones((16, 4))
    assert program_flops(lambda x, y: x @ y, a, b) == 2 * 8 * 16 * 4
