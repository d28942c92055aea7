#!/usr/bin/env python3
"""Independent reference for MeshFL's RDP accountant (io.meshfl.core.strategy.RdpAccountant).

The RDP of the sampled Gaussian mechanism at order alpha (Mironov, Talwar, Zhang 2019) is
    RDP(alpha) = log(A_alpha) / (alpha - 1),   A_alpha = E_{z ~ mu0} [ (mu(z) / mu0(z))^alpha ]
with mu0 = N(0, sigma^2) and mu = (1 - q) mu0 + q N(1, sigma^2). The Java side evaluates the closed-form
binomial expansion; this script instead integrates the definition numerically (log-space trapezoid rule on a
fine grid covering both modes of the integrand, checked against scipy.integrate.quad where quad is reliable),
composes over T steps and converts to (epsilon, delta) with epsilon = min_alpha T*RDP(alpha) + log(1/delta)/(alpha-1).

Run from this directory:  python3 rdp_reference.py   (writes rdp_reference.json)
"""
import json
import math

import numpy as np
from scipy import integrate
from scipy.special import logsumexp

ORDERS = list(range(2, 65)) + [72, 80, 96, 128, 192, 256]
SAMPLING_RATES = [0.01, 0.05, 0.2, 1.0]
NOISE_MULTIPLIERS = [0.7, 1.0, 1.5, 4.0]
STEPS = [1, 10, 100, 1000]
DELTAS = [1e-5, 1e-6]


def log_integrand(z, q, sigma, alpha):
    """log of mu0(z) * (1 - q + q * exp((2z - 1) / (2 sigma^2)))^alpha, stable for large alpha."""
    log_mu0 = -z * z / (2 * sigma * sigma) - math.log(sigma * math.sqrt(2 * math.pi))
    log_ratio_shift = (2 * z - 1) / (2 * sigma * sigma)
    if q == 1.0:
        log_mix = log_ratio_shift
    else:
        log_mix = np.logaddexp(math.log1p(-q), math.log(q) + log_ratio_shift)
    return log_mu0 + alpha * log_mix


def log_a(q, sigma, alpha):
    # The integrand has a mode near 0 (the (1-q) part) and one near alpha (the q part, exp((2z-1)/2s^2)^alpha
    # times exp(-z^2/2s^2) peaks at z = alpha); cover both with 40 sigma margins.
    low, high = -40 * sigma - 1, alpha + 40 * sigma + 1
    z = np.linspace(low, high, int((high - low) / (sigma / 400)) + 1)
    values = log_integrand(z, q, sigma, alpha)
    step = z[1] - z[0]
    # trapezoid rule in log space
    weights = np.full(z.shape, math.log(step))
    weights[0] = weights[-1] = math.log(step / 2)
    return logsumexp(values + weights)


def rdp(q, sigma, alpha):
    return log_a(q, sigma, alpha) / (alpha - 1)


def check_against_quad():
    """For moderate orders quad is reliable: the trapezoid result must agree with it."""
    for q, sigma, alpha in [(0.01, 1.0, 8), (0.2, 1.5, 16), (1.0, 0.7, 4), (0.05, 4.0, 32)]:
        peak = log_integrand(np.array([0.0, float(alpha)]), q, sigma, alpha).max()
        value, _ = integrate.quad(lambda z: math.exp(log_integrand(z, q, sigma, alpha) - peak),
                                  -40 * sigma - 1, alpha + 40 * sigma + 1, points=[0.0, float(alpha)], limit=500)
        quad_log_a = math.log(value) + peak
        assert abs(quad_log_a - log_a(q, sigma, alpha)) < 1e-9 * max(1.0, abs(quad_log_a)), (q, sigma, alpha)


def main():
    check_against_quad()
    cases = []
    for q in SAMPLING_RATES:
        for sigma in NOISE_MULTIPLIERS:
            per_step = np.array([rdp(q, sigma, alpha) for alpha in ORDERS])
            for steps in STEPS:
                for delta in DELTAS:
                    epsilons = steps * per_step + math.log(1 / delta) / (np.array(ORDERS) - 1)
                    best = int(np.argmin(epsilons))
                    cases.append({"q": q, "sigma": sigma, "steps": steps, "delta": delta,
                                  "epsilon": float(epsilons[best]), "order": ORDERS[best]})
    with open("rdp_reference.json", "w", encoding="utf-8") as out:
        json.dump({"orders": ORDERS, "cases": cases}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
