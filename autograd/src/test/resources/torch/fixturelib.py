"""Shared helpers of Strand's PyTorch fixture scripts (make_fixtures.py, make_nn_fixtures.py).

A fixture file holds one tensor per line, `<case>/<name> <shape> <v1> <v2> ...`, shape as
comma-separated dims or `scalar`, values row-major with %.9g; lines starting with # are comments.
Each case records its inputs (drawn in float32, so exactly representable), `out` computed in
float64, a random float32 upstream gradient `gout`, and `grad_X` = d(sum(out * gout))/dX for every
differentiable input X.
"""
import torch

lines = ["# torch %s" % torch.__version__,
         "# format: <case>/<name> <shape> <values...> (row-major, %.9g); "
         "inputs float32-drawn, references computed in float64"]


def fmt_tensor(key, t):
    t = t.detach()
    shape = "scalar" if t.dim() == 0 else ",".join(str(d) for d in t.shape)
    if t.is_floating_point():
        vals = t.double().reshape(-1).tolist()
        assert all(v == v and abs(v) != float("inf") for v in vals), key
        vals = ["%.9g" % v for v in vals]
    else:
        vals = ["%d" % v for v in t.long().reshape(-1).tolist()]
    return " ".join([key, shape] + vals)


def emit(case, name, t):
    lines.append(fmt_tensor("%s/%s" % (case, name), t))


def comment(text):
    lines.append("# " + text)


def randn(*shape):
    return torch.randn(tuple(shape), dtype=torch.float32)


def uniform(lo, hi, *shape):
    return torch.rand(tuple(shape), dtype=torch.float32) * (hi - lo) + lo


def case(name, fn, inputs, nondiff=None, extras=None, gout=None):
    """inputs: ordered dict name -> float32 tensor (differentiable).
    nondiff: ordered dict name -> tensor (indices / masks / targets), passed as-is.
    fn(**all) returns out, or (out, {extra_name: tensor})."""
    nondiff = nondiff or {}
    for k, v in inputs.items():
        assert v.dtype == torch.float32, (name, k)
    dbl = {k: v.double().requires_grad_(True) for k, v in inputs.items()}
    args = dict(dbl)
    args.update(nondiff)
    res = fn(**args)
    extra = {}
    if isinstance(res, tuple):
        res, extra = res
    out = res
    assert out.dtype == torch.float64, name
    if gout is None:
        gout = randn(*out.shape)
    assert gout.dtype == torch.float32 and gout.shape == out.shape
    grads = torch.autograd.grad((out * gout.double()).sum(), list(dbl.values()))
    emit_case(name, inputs, nondiff, out, extra, gout, grads)


def emit_case(name, inputs, nondiff, out, extra, gout, grads):
    """Writes one case in the fixture order: inputs, non-differentiable tensors, out, extras,
    gout, then grad_<input> for each input (grads in the order of inputs)."""
    for k, v in inputs.items():
        emit(name, k, v)
    for k, v in nondiff.items():
        emit(name, k, v)
    emit(name, "out", out)
    for k, v in extra.items():
        emit(name, k, v)
    emit(name, "gout", gout)
    for k, g in zip(inputs.keys(), grads):
        emit(name, "grad_" + k, g)


def write(path):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d tensors to %s" % (sum(1 for l in lines if not l.startswith("#")), path))
