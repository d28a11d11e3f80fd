"""Fits the two polynomials of VectorGelu's normal CDF (trainer/src/main/java/dev/seqrec/trainer/model/VectorGelu.java)
and prints their coefficients and the float32 error of the result against scipy's exact Phi.

    erf(z) / z     ~ P(z^2)  on [0, 1]   (degree 6)
    erfcx(z)       ~ R(1/z)  on [1, 9]   (degree 10; erfcx(z) = exp(z^2) erfc(z))

Least squares on relative error, reweighted towards the minimax fit. Needs numpy and scipy.
"""
import numpy as np
from scipy.special import erf, erfcx
from scipy.stats import norm


def fit(u, f, degree):
    weights = 1 / np.abs(f)
    v = np.vander(u, degree + 1, increasing=True)
    c, *_ = np.linalg.lstsq(v * weights[:, None], f * weights, rcond=None)
    for _ in range(40):
        error = np.abs((v @ c - f) / f)
        w = weights * (error / error.max() + 1e-3) ** 0.5
        c, *_ = np.linalg.lstsq(v * w[:, None], f * w, rcond=None)
    return c.astype(np.float32)


z = np.clip(np.cos(np.linspace(0, np.pi, 4000)) * 0.5 + 0.5, 1e-4, 1.0)
p = fit(z * z, erf(z) / z, 6)
zz = 1 / np.linspace(1 / 9, 1, 4000)
r = fit(1 / zz, erfcx(zz), 10)
print("P:", ", ".join(repr(float(c)) + "f" for c in p))
print("R:", ", ".join(repr(float(c)) + "f" for c in r))

f32 = np.float32
x = np.linspace(-14, 14, 4000001).astype(f32)
z = np.minimum(np.abs(x) * f32(np.sqrt(0.5)), f32(9))
z2 = z * z
small = f32(0)
for c in p[::-1]:
    small = small * z2 + c
small = f32(0.5) + f32(0.5) * np.copysign(z * small, x)
tail = f32(0)
w = f32(1) / np.maximum(z, f32(1))
for c in r[::-1]:
    tail = tail * w + c
tail = f32(0.5) * np.exp(-z2) * tail
phi = np.where(z < 1, small, np.where(x > 0, f32(1) - tail, tail))
print("max |Phi - exact| over [-14, 14] in float32:", np.abs(phi - norm.cdf(x.astype(np.float64))).max())
