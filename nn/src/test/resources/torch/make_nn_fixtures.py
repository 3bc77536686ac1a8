#!/usr/bin/python3
"""PyTorch reference fixtures for Strand's nn layer tests.

How to run (from the repository root, /work/main):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 nn/src/test/resources/torch/make_nn_fixtures.py

Uses Debian's interpreter and Debian's python3-torch (stdlib + torch only).
The committed nn.txt was generated with torch 1.13.0a0
(Debian package python3-torch 1.13.1+dfsg-4, BLAS: libopenblas0-openmp 0.3.21).

Output: nn/src/test/resources/torch/nn.txt, same format as
autograd/src/test/resources/torch/ops.txt, one tensor per line:

    <case>/<name> <shape> <v1> <v2> ...

shape is comma-separated dims (e.g. 3,1,5) or `scalar` for a 0-d tensor;
values are row-major, formatted with %.9g (integer tensors with %d). Lines
starting with # are comments; the first line is `# torch <version>`.

Conventions: inputs and parameters are drawn in float32 (so they are exactly
float32 representable), then cast to float64, and the reference is computed in
float64 (modules are converted with .double()). Each case writes its inputs,
its parameters under their PyTorch state_dict names (dots kept, e.g.
`enc_prenorm/self_attn.out_proj.weight`), non-differentiable inputs (masks as
0/1 integers with 1 = masked / padded, targets), `out`, optional extra outputs,
`gout` (a random float32 upstream gradient of out's shape) and, for every
differentiable input / parameter X, `grad_X` = d(sum(out * gout))/dX.
Extra outputs (e.g. `attn`) do not contribute to the gradients.

Module parameters start from torch's default initialisation; then every bias is
overwritten with randn*0.1 and every LayerNorm weight with 1 + randn*0.1, so
that they are exercised.

Optimizer cases (adamw*) write the initial parameter `p`, the gradients
`grad1..grad3` set before steps 1..3 and the parameter after each step `p1..p3`
(no out/gout); hyperparameters are given in a comment line before the case.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

# The fixture format and case() live beside autograd's fixtures.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..",
                                "autograd", "src", "test", "resources", "torch"))
from fixturelib import case, comment, emit, emit_case, randn, uniform, write  # noqa: E402

torch.manual_seed(0)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "nn.txt")

def randomize_biases(module):
    """Torch default init, then biases := randn*0.1, LayerNorm weight := 1 + randn*0.1."""
    with torch.no_grad():
        ln_weights = set()
        for mod in module.modules():
            if isinstance(mod, nn.LayerNorm):
                mod.weight.copy_(1.0 + randn(*mod.weight.shape) * 0.1)
                ln_weights.add(id(mod.weight))
        for pname, p in module.named_parameters():
            if pname.endswith("bias"):
                p.copy_(randn(*p.shape) * 0.1)
            else:
                assert pname.endswith("weight") or id(p) in ln_weights, pname
    return module


def module_case(name, module, x, nondiff, forward):
    """module: float32 module (parameters float32). It is converted to float64;
    x and every parameter (state_dict name) get gradients.
    forward(module, x, **nondiff) -> out or (out, extras)."""
    module = module.double()
    params = dict(module.named_parameters())
    sd = module.state_dict()
    assert list(params.keys()) == list(sd.keys()), (list(params), list(sd))
    inputs = {"x": x}
    for k, p in params.items():
        assert k != "x"
        f32 = p.detach().float()
        assert torch.equal(f32.double(), p.detach())  # float32-representable
        inputs[k] = f32

    nondiff = nondiff or {}
    dx = x.double().requires_grad_(True)
    res = forward(module, dx, **nondiff)
    extra = {}
    if isinstance(res, tuple):
        res, extra = res
    out = res
    assert out.dtype == torch.float64, name
    gout = randn(*out.shape)
    leaves = [dx] + list(params.values())
    grads = torch.autograd.grad((out * gout.double()).sum(), leaves)
    emit_case(name, inputs, nondiff, out, extra, gout, grads)


# ---------------------------------------------------------------- multi-head attention
B, D, H = 2, 16, 4


def make_mha():
    return randomize_biases(nn.MultiheadAttention(embed_dim=D, num_heads=H, dropout=0.0,
                                                  batch_first=True))


def padding_mask(b, t, npad_last):
    m = torch.zeros(b, t, dtype=torch.long)
    m[b - 1, t - npad_last:] = 1
    return m


def _mha_pad(m, x, key_padding_mask):
    out, attn = m(x, x, x, key_padding_mask=key_padding_mask.bool(), need_weights=True,
                  average_attn_weights=False)
    return out, {"attn": attn}


comment("mha_padding: nn.MultiheadAttention(embed_dim=16, num_heads=4, dropout=0.0, "
        "batch_first=True), self-attention, key_padding_mask 1 = padded (ignored key); "
        "need_weights=True, average_attn_weights=False -> attn [B,H,T,S]")
mha = make_mha()
mha.train()
module_case("mha_padding", mha, randn(B, 5, D),
            dict(key_padding_mask=padding_mask(B, 5, 2)), _mha_pad)


def _mha_causal(m, x, causal):
    t = causal.shape[0]
    add_mask = torch.zeros(t, t, dtype=x.dtype).masked_fill(causal.bool(), float("-inf"))
    out, attn = m(x, x, x, attn_mask=add_mask, need_weights=True, average_attn_weights=False)
    return out, {"attn": attn}


comment("mha_causal: same module config; attn_mask = float additive mask, 0 where causal=0 "
        "and -inf where causal=1 (above the diagonal)")
mha = make_mha()
mha.train()
T = 6
causal = torch.triu(torch.ones(T, T, dtype=torch.long), diagonal=1)
module_case("mha_causal", mha, randn(B, T, D), dict(causal=causal), _mha_causal)


# ---------------------------------------------------------------- transformer encoder layer
def _enc(m, x, key_padding_mask):
    return m(x, src_key_padding_mask=key_padding_mask.bool())


for cname, norm_first in (("enc_postnorm", False), ("enc_prenorm", True)):
    comment("%s: nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, "
            "dropout=0.0, activation='gelu' (erf), batch_first=True, norm_first=%s, "
            "layer_norm_eps=1e-5), train mode; src_key_padding_mask 1 = padded "
            "(padded query rows are still computed)" % (cname, norm_first))
    enc = randomize_biases(nn.TransformerEncoderLayer(
        d_model=D, nhead=H, dim_feedforward=32, dropout=0.0, activation="gelu",
        batch_first=True, norm_first=norm_first))
    enc.train()
    module_case(cname, enc, randn(B, 5, D), dict(key_padding_mask=padding_mask(B, 5, 2)), _enc)


# ---------------------------------------------------------------- AdamW
def adamw_case(name, lr, betas, eps, weight_decay):
    comment("%s: torch.optim.AdamW([p], lr=%g, betas=(%g, %g), eps=%g, weight_decay=%g, "
            "amsgrad=False); p.grad := gradT before step T; pT = p after step T"
            % (name, lr, betas[0], betas[1], eps, weight_decay))
    p0 = randn(5, 3)
    gs = [randn(5, 3) for _ in range(3)]
    p = p0.double().clone().requires_grad_(True)
    opt = torch.optim.AdamW([p], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                            amsgrad=False)
    emit(name, "p", p0)
    for i, g in enumerate(gs, 1):
        emit(name, "grad%d" % i, g)
    for i, g in enumerate(gs, 1):
        opt.zero_grad()
        p.grad = g.double().clone()
        opt.step()
        emit(name, "p%d" % i, p.detach().clone())


adamw_case("adamw", lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
adamw_case("adamw_amsgrad_off_wd0", lr=3e-3, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.0)

# ---------------------------------------------------------------- losses
ONE = torch.tensor(1.0, dtype=torch.float32)
_logits = randn(6, 7)
_target = torch.randint(0, 7, (6,), dtype=torch.long)
_target[1] = -100
_target[4] = -100
comment("xent_smooth: F.cross_entropy(logits, target, ignore_index=-100, "
        "label_smoothing=0.1, reduction='mean')")
case("xent_smooth",
     lambda logits, target: F.cross_entropy(logits, target, ignore_index=-100,
                                            label_smoothing=0.1, reduction="mean"),
     dict(logits=_logits.clone()), nondiff=dict(target=_target.clone()), gout=ONE)
comment("xent_plain: same logits/target, label_smoothing=0.0")
case("xent_plain",
     lambda logits, target: F.cross_entropy(logits, target, ignore_index=-100,
                                            label_smoothing=0.0, reduction="mean"),
     dict(logits=_logits.clone()), nondiff=dict(target=_target.clone()), gout=ONE)

comment("bce_logits: F.binary_cross_entropy_with_logits(x, y, reduction='mean'); y is a target "
        "(no gradient)")
_x = randn(4, 3)
_y = (torch.rand(4, 3) < 0.5).float()
case("bce_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y.double(), reduction="mean"),
     dict(x=_x), nondiff=dict(y=_y))

comment("poisson_nll: F.poisson_nll_loss(pred, y, log_input=False, full=False, eps=1e-8, "
        "reduction='mean') = mean(pred - y*log(pred+eps)); y is a target (no gradient)")
_pred = uniform(0.1, 3.0, 4, 3)
_y = torch.randint(0, 6, (4, 3)).float()
case("poisson_nll",
     lambda pred, y: F.poisson_nll_loss(pred, y.double(), log_input=False, full=False, eps=1e-8,
                                        reduction="mean"),
     dict(pred=_pred), nondiff=dict(y=_y))

comment("mse: F.mse_loss(a, b, reduction='mean'); b is a target (no gradient)")
case("mse", lambda a, b: F.mse_loss(a, b.double()), dict(a=randn(4, 3)), nondiff=dict(b=randn(4, 3)))

write(OUT_PATH)
