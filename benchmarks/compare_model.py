#!/usr/bin/env python3
"""PyTorch's half of `benchmarks/compare.sh train|infer|generate`.

The same BERT-small as ModelCompare.java (vocabulary 4101, d 256, 4 pre-LN
nn.TransformerEncoderLayer with GELU, 4 heads, FFN 1024, learned positions,
final LayerNorm, MLM head Linear -> GELU -> LayerNorm -> Linear tied to the token
embedding; sequence 512, batch 8; cross-entropy on the 15 % labelled positions,
with the head applied to those rows only, as Strand does; AdamW lr 1e-4, wd 0.01),
and a causal decoder of the same size generating 256 tokens greedily with a KV cache.

--shape quickstart is the quickstart's fine-tuning model as Strand builds it (vocabulary 22, d 64,
4 pre-LN layers, 4 heads, FFN 256, rotary positions in the rotate-half layout, final LayerNorm,
mean pooling, BatchNorm1d without affine, Linear to 2 classes; 302 tokens, batch 16, AdamW), with
its attention written out (torch 1.13 has no fused attention with rotary positions);
--shape quickstart-pretrain is its pretraining model (the same trunk, 130 tokens, batch 32, MLM).

Run with Debian's interpreter and OpenBLAS at full width:
    env -u OPENBLAS_CORETYPE /usr/bin/python3 benchmarks/compare_model.py train --threads 2
Prints one line per mode in the same format as ModelCompare.java.
With --device cuda the model and batch live on the GPU, TF32 is off (fp32 like for like with
Strand's OpenCL kernels) and each timed step ends with torch.cuda.synchronize().
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, SEQ, BATCH, D, LAYERS, HEADS, FFN = 4101, 512, 8, 256, 4, 4, 1024
DEVICE = torch.device("cpu")


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def device_field():
    return " device=cuda" if DEVICE.type == "cuda" else ""


class Bert(nn.Module):
    def __init__(self, dropout, causal=False):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, D)
        self.positions = nn.Embedding(SEQ, D)
        self.drop = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(D, HEADS, FFN, dropout, activation="gelu", batch_first=True, norm_first=True)
        self.layers = nn.ModuleList([layer] + [nn.TransformerEncoderLayer(D, HEADS, FFN, dropout, activation="gelu",
                                                                          batch_first=True, norm_first=True) for _ in range(LAYERS - 1)])
        self.norm = nn.LayerNorm(D)
        self.dense = nn.Linear(D, D)
        self.head_norm = nn.LayerNorm(D)
        self.bias = nn.Parameter(torch.zeros(VOCAB))
        self.causal = causal

    def hidden(self, ids):
        t = ids.shape[1]
        x = self.drop(self.tokens(ids) + self.positions(torch.arange(t, device=ids.device)))
        mask = torch.triu(torch.full((t, t), float("-inf"), device=ids.device), 1) if self.causal else None
        for layer in self.layers:
            x = layer(x, src_mask=mask)
        return self.norm(x)

    def mlm_head(self, h):
        return F.linear(self.head_norm(F.gelu(self.dense(h))), self.tokens.weight, self.bias)


def batch(gen, vocab=VOCAB, rows=BATCH, seq=SEQ):
    ids = torch.randint(5, vocab, (rows, seq), generator=gen)
    labels = torch.where(torch.rand(rows, seq, generator=gen) < 0.15, ids, torch.full_like(ids, -100))
    return ids.to(DEVICE), labels.to(DEVICE)


class RopeLayer(nn.Module):
    """A pre-LN encoder layer with rotary positions (rotate-half pairs (i, i + hd/2)), as Strand's."""

    def __init__(self, d, heads, ffn, dropout):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        self.linear1, self.linear2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
        self.drop = nn.Dropout(dropout)

    def rotate(self, x, cos, sin):
        x1, x2 = x.chunk(2, -1)
        return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], -1)

    def forward(self, x, cos, sin):
        b, t, d = x.shape
        h = self.norm1(x)
        q, k, v = (f(h).view(b, t, self.heads, self.hd).transpose(1, 2) for f in (self.query, self.key, self.value))
        q, k = self.rotate(q, cos, sin), self.rotate(k, cos, sin)
        att = torch.softmax(q @ k.transpose(-2, -1) / self.hd ** 0.5, -1)
        x = x + self.drop(self.output((att @ v).transpose(1, 2).reshape(b, t, d)))
        return x + self.drop(self.linear2(self.drop(F.gelu(self.linear1(self.norm2(x))))))


class Quickstart(nn.Module):
    """The quickstart's trunk (vocabulary 22, d 64, 4 layers, 4 heads, FFN 256, RoPE), MLM head and sequence head."""
    VOCAB, D, LAYERS, HEADS, FFN = 22, 64, 4, 4, 256

    def __init__(self, dropout):
        super().__init__()
        d = self.D
        self.tokens = nn.Embedding(self.VOCAB, d)
        self.layers = nn.ModuleList([RopeLayer(d, self.HEADS, self.FFN, dropout) for _ in range(self.LAYERS)])
        self.norm = nn.LayerNorm(d)
        self.dense, self.head_norm, self.bias = nn.Linear(d, d), nn.LayerNorm(d), nn.Parameter(torch.zeros(self.VOCAB))
        self.pool_norm, self.classes = nn.BatchNorm1d(d, affine=False), nn.Linear(d, 2)

    def hidden(self, ids):
        t, hd = ids.shape[1], self.D // self.HEADS
        inv = 10000.0 ** (-torch.arange(0, hd // 2, device=ids.device) * 2.0 / hd)
        angle = torch.arange(t, device=ids.device)[:, None] * inv[None, :]
        cos, sin = angle.cos(), angle.sin()
        x = self.tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin)
        return self.norm(x)

    def mlm_head(self, h):
        return F.linear(self.head_norm(F.gelu(self.dense(h))), self.tokens.weight, self.bias)

    def classify(self, ids):
        return self.classes(self.pool_norm(self.hidden(ids).mean(1)))


def workload(args):
    """(model, training loss, inference pass, tokens per batch) for --shape."""
    gen = torch.Generator().manual_seed(1)
    if args.shape == "quickstart":
        model = Quickstart(args.dropout).to(DEVICE)
        ids, _ = batch(gen, Quickstart.VOCAB, 16, 302)
        labels = (torch.arange(16) % 2).to(DEVICE)
        return model, lambda: F.cross_entropy(model.classify(ids), labels), lambda: model.classify(ids), ids.numel()
    if args.shape == "quickstart-pretrain":
        model, (ids, labels) = Quickstart(args.dropout).to(DEVICE), batch(gen, Quickstart.VOCAB, 32, 130)
        width = Quickstart.D
    else:
        model, (ids, labels) = Bert(args.dropout).to(DEVICE), batch(gen)
        width = D
    rows = (labels.view(-1) != -100).nonzero().squeeze(1)
    targets = labels.view(-1)[rows]
    loss = lambda: F.cross_entropy(model.mlm_head(model.hidden(ids).reshape(-1, width)[rows]), targets)
    return model, loss, lambda: model.mlm_head(model.hidden(ids)), ids.numel()


def train(args):
    model, loss_fn, _, tokens = workload(args)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    times = []
    for s in range(-args.warmup, args.steps):
        t0 = time.perf_counter()
        loss = loss_fn()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sync()
        if s >= 0:
            times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    print(f"pytorch train shape={args.shape} threads={args.threads} dropout={args.dropout} median_ms={med:.1f} tokens_per_s={tokens / (med / 1000):.0f} steps={args.steps}{device_field()}")


def infer(args):
    model, _, forward, tokens = workload(args)
    model.eval()
    times = []
    with torch.no_grad():
        for s in range(-args.warmup, args.steps):
            t0 = time.perf_counter()
            forward()
            sync()
            if s >= 0:
                times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    print(f"pytorch infer shape={args.shape} threads={args.threads} median_ms={med:.1f} tokens_per_s={tokens / (med / 1000):.0f}{device_field()}")


class CachedDecoder(nn.Module):
    """The decoder written out with an explicit KV cache (nn.TransformerEncoderLayer has none)."""

    def __init__(self):
        super().__init__()
        self.base = Bert(0.0, causal=True).eval()

    def step(self, ids, cache, past):
        x = self.base.tokens(ids) + self.base.positions(torch.arange(past, past + ids.shape[1]))
        for i, layer in enumerate(self.base.layers):
            h = layer.norm1(x)
            qkv = F.linear(h, layer.self_attn.in_proj_weight, layer.self_attn.in_proj_bias)
            q, k, v = qkv.view(1, -1, 3, HEADS, D // HEADS).permute(2, 0, 3, 1, 4)
            if cache[i] is not None:
                k = torch.cat([cache[i][0], k], 2)
                v = torch.cat([cache[i][1], v], 2)
            cache[i] = (k, v)
            t = q.shape[2]
            mask = torch.triu(torch.full((t, k.shape[2]), float("-inf")), k.shape[2] - t + 1)
            att = torch.softmax(q @ k.transpose(-2, -1) / (D // HEADS) ** 0.5 + mask, -1)
            y = (att @ v).transpose(1, 2).reshape(1, t, D)
            x = x + layer.self_attn.out_proj(y)
            x = x + layer.linear2(F.gelu(layer.linear1(layer.norm2(x))))
        return self.base.norm(x)[:, -1] @ self.base.tokens.weight.t()

    def generate(self, prompt, count):
        cache = [None] * LAYERS
        logits = self.step(prompt, cache, 0)
        out, past = [], prompt.shape[1]
        for _ in range(count):
            nxt = logits.argmax(-1, keepdim=True)
            out.append(nxt)
            logits = self.step(nxt, cache, past)
            past += 1
        return torch.cat(out, 1)


def generate(args):
    gen = torch.Generator().manual_seed(2)
    model = CachedDecoder()
    prompt = torch.randint(0, VOCAB, (1, 16), generator=gen)
    times = []
    with torch.no_grad():
        model.generate(prompt, 32)
        for _ in range(args.steps):
            t0 = time.perf_counter()
            model.generate(prompt, 256)
            times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    print(f"pytorch generate threads={args.threads} median_ms={med:.1f} tokens_per_s={256 / (med / 1000):.0f}")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "infer", "generate"])
    p.add_argument("--shape", default="bert-small", choices=["bert-small", "quickstart", "quickstart-pretrain"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--warmup", type=int, default=4)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    a = p.parse_args()
    if a.device == "cuda":
        if a.mode == "generate":
            p.error("--device cuda is for train and infer")
        if not torch.cuda.is_available():
            p.error("--device cuda but torch.cuda.is_available() is False")
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        DEVICE = torch.device("cuda")
    if a.steps is None:
        a.steps = 3 if a.mode == "generate" else 10
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    {"train": train, "infer": infer, "generate": generate}[a.mode](a)
