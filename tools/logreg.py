"""Sparse logistic regression with numpy, shared by the scorers' training scripts (train_taboo, train_labels)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

STEPS = 1500
RATE = 2.0

Sparse = tuple[np.ndarray, np.ndarray, np.ndarray, int]  # row, column, value, number of rows


def design(rows: Sequence[dict[str, float]], vocab: dict[str, int]) -> Sparse:
    """The sparse design matrix of named features, keeping only the features in `vocab`."""
    r, c, v = [], [], []
    for i, f in enumerate(rows):
        for k, x in f.items():
            j = vocab.get(k)
            if j is not None:
                r.append(i)
                c.append(j)
                v.append(x)
    return np.array(r, dtype=np.int64), np.array(c, dtype=np.int64), np.array(v, dtype=np.float64), len(rows)


def matvec(X: Sparse, w: np.ndarray) -> np.ndarray:
    r, c, v, n = X
    return np.bincount(r, weights=v * w[c], minlength=n)


def rmatvec(X: Sparse, g: np.ndarray, dim: int) -> np.ndarray:
    r, c, v, _n = X
    return np.bincount(c, weights=v * g[r], minlength=dim)


def fit_binary(X: Sparse, y: np.ndarray, sw: np.ndarray, dim: int, l2: float = 1.0,
               steps: int = STEPS) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by full-batch gradient descent: (weights, bias)."""
    w = np.zeros(dim)
    b = 0.0
    total = sw.sum()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(matvec(X, w) + b)))
        g = (p - y) * sw
        w -= RATE * (rmatvec(X, g, dim) / total + l2 * w / total)
        b -= RATE * g.sum() / total
    return w, b


def fit_kinds(X: Sparse, labels: list[str], sw: np.ndarray, dim: int,
              l2: float = 1.0) -> tuple[list[str], np.ndarray, np.ndarray]:
    """A multinomial head: (kinds, weights dim x kinds, biases)."""
    kinds = sorted(set(labels))
    Y = np.array([[1.0 if k == lab else 0.0 for k in kinds] for lab in labels])
    W = np.zeros((dim, len(kinds)))
    B = np.zeros(len(kinds))
    total = sw.sum()
    r, c, v, n = X
    for _ in range(STEPS):
        Z = np.zeros((n, len(kinds)))
        np.add.at(Z, r, v[:, None] * W[c])
        Z += B
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) * sw[:, None]
        gW = np.zeros_like(W)
        np.add.at(gW, c, v[:, None] * G[r])
        W -= RATE * (gW / total + l2 * W / total)
        B -= RATE * G.sum(axis=0) / total
    return kinds, W, B


def subset(X: Sparse, idx: np.ndarray) -> Sparse:
    """The rows `idx` of a sparse matrix, renumbered from 0."""
    r, c, v, _n = X
    pos = {int(i): k for k, i in enumerate(idx)}
    keep = np.isin(r, idx)
    return np.array([pos[int(i)] for i in r[keep]], dtype=np.int64), c[keep], v[keep], len(idx)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))
