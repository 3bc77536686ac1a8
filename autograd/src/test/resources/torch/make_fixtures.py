#!/usr/bin/python3
"""PyTorch reference fixtures for Strand's autograd tests.

How to run (from the repository root, /work/main):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 autograd/src/test/resources/torch/make_fixtures.py

Uses Debian's interpreter and Debian's python3-torch (stdlib + torch only).
The committed ops.txt was generated with torch 1.13.0a0
(Debian package python3-torch 1.13.1+dfsg-4, BLAS: libopenblas0-openmp 0.3.21).

Output: autograd/src/test/resources/torch/ops.txt, one tensor per line:

    <case>/<name> <shape> <v1> <v2> ...

shape is comma-separated dims (e.g. 3,1,5) or `scalar` for a 0-d tensor;
values are row-major, formatted with %.9g. Lines starting with # are comments;
the first line is `# torch <version>`.

Every case: inputs are drawn in float32 (so they are exactly float32
representable), then cast to float64, and the reference is computed in float64.
Each case writes its inputs, `out`, `gout` (a random float32 upstream gradient
of out's shape), optional extra tensors, and for every differentiable float
input X the gradient `grad_X` = d(sum(out * gout))/dX.
"""
import os

import torch
import torch.nn.functional as F

from fixturelib import case, randn, uniform, write

torch.manual_seed(0)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "ops.txt")

# ---------------------------------------------------------------- broadcasting
case("add_bcast", lambda a, b: a + b, dict(a=randn(3, 1, 5), b=randn(4, 5)))
case("sub_bcast", lambda a, b: a - b, dict(a=randn(2, 3, 4), b=randn(3, 1)))
case("mul_bcast", lambda a, b: a * b, dict(a=randn(2, 3, 4), b=randn(4)))
_b = uniform(0.5, 2.0, 3, 1) * torch.where(torch.rand(3, 1) < 0.5, -1.0, 1.0)
assert (_b.abs() >= 0.5).all()
case("div_bcast", lambda a, b: a / b, dict(a=randn(3, 4), b=_b))

# ---------------------------------------------------------------- pow
case("pow_scalar", lambda x: x ** 2.5, dict(x=randn(3, 5).abs() + 0.1))
case("pow_tensor", lambda a, b: a ** b,
     dict(a=uniform(0.5, 2.0, 3, 4), b=uniform(-1.0, 2.0, 4)))

# ---------------------------------------------------------------- unary
case("neg", lambda x: -x, dict(x=randn(4, 6)))
case("exp", lambda x: torch.exp(x), dict(x=randn(4, 6)))
case("log", lambda x: torch.log(x), dict(x=uniform(0.1, 3.0, 4, 6)))
case("sqrt", lambda x: torch.sqrt(x), dict(x=uniform(0.1, 3.0, 4, 6)))
case("tanh", lambda x: torch.tanh(x), dict(x=randn(4, 6)))
case("sigmoid", lambda x: torch.sigmoid(x), dict(x=randn(4, 6)))
_x = randn(4, 6)
_x = torch.where(_x >= 0, _x + 0.05, _x - 0.05)
assert (_x.abs() >= 0.05).all()
case("relu", lambda x: torch.relu(x), dict(x=_x))
case("gelu_erf", lambda x: F.gelu(x), dict(x=randn(4, 6)))
case("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), dict(x=randn(4, 6)))

# ---------------------------------------------------------------- reductions
case("sum_dim", lambda x: x.sum(dim=1), dict(x=randn(3, 4, 5)))
case("sum_all", lambda x: x.sum(), dict(x=randn(3, 4)))
case("mean_keepdim", lambda x: x.mean(dim=0, keepdim=True), dict(x=randn(3, 4, 5)))
_x = randn(4, 7)
for row in _x:
    assert len(set(row.tolist())) == row.numel(), "ties in max_dim input"


def _max_dim(x):
    r = x.max(dim=-1)
    return r.values, {"argmax": r.indices}


case("max_dim", _max_dim, dict(x=_x))
case("var_unbiased", lambda x: x.var(dim=1), dict(x=randn(3, 6)))
case("var_biased", lambda x: x.var(dim=1, unbiased=False, keepdim=True),
     dict(x=randn(3, 6)))

# ---------------------------------------------------------------- matmul
case("matmul_2d", lambda a, b: a @ b, dict(a=randn(5, 7), b=randn(7, 3)))
case("matmul_batched_bcast", lambda a, b: a @ b,
     dict(a=randn(2, 1, 4, 6), b=randn(3, 6, 5)))
case("matmul_transposed", lambda a, b: a.t() @ b.t(),
     dict(a=randn(6, 4), b=randn(5, 6)))

# ---------------------------------------------------------------- softmax
case("softmax_large", lambda x: torch.softmax(x, dim=-1),
     dict(x=randn(3, 5) * 50 + 1000))
case("softmax_dim0", lambda x: torch.softmax(x, dim=0), dict(x=randn(4, 3)))
case("log_softmax", lambda x: torch.log_softmax(x, dim=1), dict(x=randn(3, 4, 5)))

# ---------------------------------------------------------------- layer norm
case("layer_norm", lambda x, w, b: F.layer_norm(x, (7,), w, b, eps=1e-5),
     dict(x=randn(4, 7), w=randn(7), b=randn(7)))

# ---------------------------------------------------------------- indexing
case("embedding", lambda w, idx: F.embedding(idx, w), dict(w=randn(10, 4)),
     nondiff=dict(idx=torch.tensor([[1, 3, 3], [0, 9, 1]], dtype=torch.long)))
case("index_select", lambda x, idx: x.index_select(0, idx), dict(x=randn(6, 3)),
     nondiff=dict(idx=torch.tensor([4, 0, 4], dtype=torch.long)))
_x = randn(3, 5)
case("gather", lambda x, idx: x.gather(1, idx), dict(x=_x),
     nondiff=dict(idx=torch.randint(0, 5, (3, 2), dtype=torch.long)))

# ---------------------------------------------------------------- cat / stack
case("cat", lambda a, b: torch.cat([a, b], dim=1), dict(a=randn(2, 3), b=randn(2, 4)))
case("stack", lambda a, b: torch.stack([a, b], dim=1),
     dict(a=randn(2, 3), b=randn(2, 3)))

# ---------------------------------------------------------------- where / masked_fill
_a, _b, _c = randn(3, 4), randn(3, 4), randn(3, 4)
_cond = (_c > 0)
assert _cond.any() and not _cond.all()
case("where", lambda a, b, cond: torch.where(cond.bool(), a, b), dict(a=_a, b=_b),
     nondiff=dict(cond=_cond.long()))
_x = randn(3, 4)
_mask = torch.rand(1, 4) < 0.5
if _mask.all() or not _mask.any():  # make sure both branches are exercised
    _mask = torch.tensor([[True, False, True, False]])
case("masked_fill", lambda x, mask: x.masked_fill(mask.bool(), -1e9), dict(x=_x),
     nondiff=dict(mask=_mask.long()))

# ---------------------------------------------------------------- views
case("permute", lambda x: x.permute(2, 0, 1), dict(x=randn(2, 3, 4)))
case("transpose_contig", lambda x: x.t().contiguous(), dict(x=randn(3, 5)))
case("expand", lambda x: x.expand(3, 4), dict(x=randn(3, 1)))
case("narrow", lambda x: x.narrow(0, 1, 3), dict(x=randn(5, 4)))
case("reshape", lambda x: x.reshape(3, 4), dict(x=randn(2, 6)))


# ---------------------------------------------------------------- composed MLP
def _mlp(x, w1, b1, w2, b2, labels):
    h = torch.relu(x @ w1 + b1)
    logits = h @ w2 + b2
    loss = F.cross_entropy(logits, labels)
    return loss, {"logits": logits}


case("mlp_xent", _mlp,
     dict(x=randn(8, 5), w1=randn(5, 16) * 0.5, b1=randn(16) * 0.1,
          w2=randn(16, 4) * 0.5, b2=randn(4) * 0.1),
     nondiff=dict(labels=torch.randint(0, 4, (8,), dtype=torch.long)),
     gout=torch.tensor(1.0, dtype=torch.float32))

write(OUT_PATH)
