#!/usr/bin/python3
"""Reference fixtures for loading Hugging Face DNA encoders (issue 23): tiny random DNABERT-2,
Nucleotide Transformer v1 and v2, and GENA-LM BERT models, saved as Hugging Face model
directories, with the outputs PyTorch computes for them.

How to run (from the repository root, /work/main):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 genomics/src/test/resources/hf/make_hf_fixtures.py

Uses Debian's interpreter and Debian's python3-torch (stdlib + torch only), NOT the pyenv python3
that comes first on PATH; `transformers`, `tokenizers` and `safetensors` are not needed. The
committed files were written with torch 1.13.0a0 (Debian python3-torch 1.13.1+dfsg-4). Seeds are
fixed and torch runs on one thread: two runs write the same bytes.

Each architecture below is plain torch.nn code written from the reference sources' description
(REFERENCES.md section 4; DNABERT-2 `bert_layers.py`, transformers `modeling_esm.py` plus
InstaDeep's `modeling_esm.py` for v2, GENA_LM `src/gena_lm/modeling_bert.py`, InstaDeep's
`nucleotide_transformer/tokenizers.py`). Module and attribute names follow those sources so that
`state_dict()` gives the real checkpoints' key names, in the real registration order.

Output, one directory per model under genomics/src/test/resources/hf/:

  dnabert2/          DNABERT-2 (`BertForMaskedLM` of bert_layers.py): ALiBi, fused Wqkv, post-LN,
                     gated-GELU MLP, MLM head tied to the word embeddings.
  nt-v2/             Nucleotide Transformer v2 (InstaDeep's custom ESM): pre-LN, rotary, SwiGLU
                     without biases, untied ESM LM head.
  nt-v1/             Nucleotide Transformer v1 (native transformers EsmForMaskedLM): pre-LN,
                     learned RoBERTa-style positions, GELU FFN with bias, token dropout.
  gena-bert/         GENA-LM BERT, pre-LN, last_layer_norm false (like gena-lm-bert-base-t2t).
  gena-bert-lastln/  GENA-LM BERT, pre-LN, last_layer_norm true (encoder.last_layer_ln).

Every directory holds config.json, the tokenizer files the real repository ships, the weights
twice -- model.safetensors (written by hand below: 8-byte little-endian header length, JSON
header, raw little-endian data) and pytorch_model.bin (torch.save of the state dict, torch's zip
format) -- and the expected outputs: expected.json (inputs, token ids, metadata, the list of
tensors) and expected.safetensors (the float32 outputs). See README.md beside this script for
the expected.json schema and the assumptions that could not be checked against the sources.
"""
import copy
import json
import math
import os
import random
import struct
import sys
from collections import OrderedDict
from itertools import product

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))

# Three test sequences shared by all models: no N; one N; a run of 12 N (GENA's normaliser turns
# runs of 10 or more N into "-"). Lengths 48, 31 and 42 bp.
SEQUENCES = [
    "ACGTTGCAGGCTAGCTTAGGCATCGATCGGATCCATGCAAGTCTGACT",
    "TTGACCGTANGCATGCCATTAGGCTAACGTT",
    "GATTACAGGCATNNNNNNNNNNNNCCGTAGCTAGGATCCAAT",
]
for _s in SEQUENCES:
    assert 20 <= len(_s) <= 60, _s


# ----------------------------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------------------------

def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_json(path, obj, indent=2, sort_keys=False, newline=True):
    text = json.dumps(obj, indent=indent, sort_keys=sort_keys, ensure_ascii=False)
    if newline:
        text += "\n"
    write_bytes(path, text.encode("utf-8"))


def compact_json(obj, depth=0):
    """JSON with one level of indentation per nesting, lists of numbers or strings on one line and
    small objects inline."""
    pad = " " * depth
    inline = json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(obj, (dict, list)) or not obj:
        return inline
    if isinstance(obj, list) and all(not isinstance(e, (dict, list)) for e in obj):
        return inline
    if len(inline) + depth <= 100:
        return inline
    if isinstance(obj, dict):
        body = [pad + " " + json.dumps(k) + ": " + compact_json(v, depth + 1) for k, v in obj.items()]
        return "{\n" + ",\n".join(body) + "\n" + pad + "}"
    body = [pad + " " + compact_json(e, depth + 1) for e in obj]
    return "[\n" + ",\n".join(body) + "\n" + pad + "]"


ST_DTYPES = {torch.float32: ("F32", "<f", 4), torch.int64: ("I64", "<q", 8)}
# safetensors orders tensors by dtype (larger alignment first: I64 before F32), then by name.
ST_DTYPE_RANK = {"I64": 0, "F32": 1}


def safetensors_bytes(tensors, metadata=None):
    """tensors: dict name -> contiguous CPU tensor (float32 or int64). Returns the file's bytes."""
    items = []
    for name, t in tensors.items():
        t = t.detach().contiguous()
        code, fmt, size = ST_DTYPES[t.dtype]
        flat = t.reshape(-1).tolist()
        data = struct.pack("<%d%s" % (len(flat), fmt[1]), *flat)
        assert len(data) == len(flat) * size
        items.append((ST_DTYPE_RANK[code], name, code, list(t.shape), data))
    items.sort(key=lambda it: (it[0], it[1]))
    header = OrderedDict()
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for _, name, code, shape, data in items:
        header[name] = OrderedDict([("dtype", code), ("shape", shape),
                                    ("data_offsets", [offset, offset + len(data)])])
        offset += len(data)
    hbytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((8 - len(hbytes) % 8) % 8)
    return struct.pack("<Q", len(hbytes)) + hbytes + b"".join(it[4] for it in items)


def untied_state_dict(sd):
    """What Hugging Face writes to model.safetensors: a tensor that aliases an earlier one (a tied
    weight, e.g. cls.predictions.decoder.weight = bert.embeddings.word_embeddings.weight) is
    written once, under its first name in state_dict order."""
    out = OrderedDict()
    seen = {}
    for name, t in sd.items():
        key = (t.storage().data_ptr(), t.storage_offset(), tuple(t.shape), tuple(t.stride()))
        if key in seen:
            continue
        seen[key] = name
        out[name] = t
    return out


def save_weights(directory, model):
    sd = model.state_dict()
    torch.save(sd, os.path.join(directory, "pytorch_model.bin"))
    st = untied_state_dict(sd)
    write_bytes(os.path.join(directory, "model.safetensors"), safetensors_bytes(st, {"format": "pt"}))

    def describe(d):
        return OrderedDict((k, {"shape": list(v.shape), "dtype": ST_DTYPES[v.dtype][0]}) for k, v in d.items())
    return describe(sd), describe(st), [k for k in sd if k not in st]


# ----------------------------------------------------------------------------------------------
# Deterministic random parameters
# ----------------------------------------------------------------------------------------------

def init_parameters(model, seed):
    """Every parameter drawn from its own seeded generator, in state_dict order (tied parameters
    once): Linear weight N(0, 1/fan_in), Embedding N(0, 1), LayerNorm weight 1 + N(0, 0.1^2),
    every bias N(0, 0.2^2). Buffers (inv_freq, position_ids) keep their computed values."""
    g = torch.Generator().manual_seed(seed)
    kinds = {}
    for mname, mod in model.named_modules():
        for pname, p in mod.named_parameters(recurse=False):
            full = (mname + "." if mname else "") + pname
            if isinstance(mod, nn.LayerNorm):
                kinds[id(p)] = "ln_w" if pname == "weight" else "bias"
            elif isinstance(mod, nn.Embedding):
                kinds.setdefault(id(p), "emb")
            elif isinstance(mod, nn.Linear):
                kinds.setdefault(id(p), "lin_w" if pname == "weight" else "bias")
            else:
                assert pname == "bias", full
                kinds.setdefault(id(p), "bias")
    done = set()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if id(p) in done:
                continue
            done.add(id(p))
            z = torch.randn(p.shape, generator=g, dtype=torch.float32)
            kind = kinds[id(p)]
            if kind == "lin_w":
                p.copy_(z / math.sqrt(p.shape[1]))
            elif kind == "emb":
                p.copy_(z)
            elif kind == "ln_w":
                p.copy_(1.0 + 0.1 * z)
            else:
                p.copy_(0.2 * z)


class Config(dict):
    def __getattr__(self, k):
        return self[k]


# ----------------------------------------------------------------------------------------------
# Tokenizers
# ----------------------------------------------------------------------------------------------

def train_bpe(corpus_words, alphabet, n_merges):
    """A small deterministic BPE trainer (only used to make a plausible merge list): repeatedly
    merges the most frequent adjacent pair (ties: lexicographically smallest pair), skipping pairs
    whose merged string is already a token."""
    words = [list(w) for w in corpus_words]
    tokens = set(alphabet)
    merges = []
    while len(merges) < n_merges:
        counts = {}
        for w in words:
            for a, b in zip(w, w[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + 1
        best = None
        for pair, c in counts.items():
            if pair[0] + pair[1] in tokens:
                continue
            if best is None or c > best[1] or (c == best[1] and pair < best[0]):
                best = (pair, c)
        if best is None:
            break
        (a, b), _ = best
        merges.append((a, b))
        tokens.add(a + b)
        for i, w in enumerate(words):
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
    return merges


def bpe_corpus(seed, n_words, length):
    """Pseudo-random DNA with recurring motifs, so that BPE learns multi-base tokens."""
    rng = random.Random(seed)
    motifs = ["TATAAA", "GCGC", "CAAT", "TTAGGG", "ACGT", "GGATCC", "AAGCTT", "CCAAT", "TGCA"]
    words = []
    for _ in range(n_words):
        s = []
        while len(s) < length:
            if rng.random() < 0.35:
                s.extend(rng.choice(motifs))
            else:
                s.append(rng.choice("ACGT"))
        words.append("".join(s[:length]))
    return words


class BpeTokenizer:
    """Hugging Face `tokenizers` BPE model semantics (dropout null, no continuing-subword prefix,
    no end-of-word suffix, fuse_unk false): a word starts as its characters, each character not in
    the vocabulary becoming the unk token on its own; then, while some adjacent pair is in the
    merge list, the pair with the lowest merge rank is merged (its leftmost occurrence first)."""

    def __init__(self, vocab, merges, unk):
        self.vocab = vocab
        self.rank = {pair: i for i, pair in enumerate(merges)}
        self.unk = unk

    def encode_word(self, word):
        syms = [c if c in self.vocab else self.unk for c in word]
        while True:
            best = None
            for i in range(len(syms) - 1):
                r = self.rank.get((syms[i], syms[i + 1]))
                if r is not None and (best is None or r < best[0]):
                    best = (r, i)
            if best is None:
                return syms
            i = best[1]
            syms[i:i + 2] = [syms[i] + syms[i + 1]]


def added_token(tid, content):
    return OrderedDict([("id", tid), ("content", content), ("single_word", False), ("lstrip", False),
                        ("rstrip", False), ("normalized", False), ("special", True)])


def bpe_model_json(vocab, merges, unk):
    return OrderedDict([("type", "BPE"), ("dropout", None), ("unk_token", unk),
                        ("continuing_subword_prefix", None), ("end_of_word_suffix", None),
                        ("fuse_unk", False), ("vocab", vocab),
                        ("merges", ["%s %s" % m for m in merges])])


def build_bpe_vocab(specials, alphabet, merges):
    vocab = OrderedDict()
    for t in specials + alphabet:
        vocab[t] = len(vocab)
    for a, b in merges:
        assert a + b not in vocab
        vocab[a + b] = len(vocab)
    return vocab


class Dnabert2Tokenizer:
    """DNABERT-2-style tokenizer.json: specials [UNK] [CLS] [SEP] [PAD] [MASK] = 0..4 (the
    `tokenizers` quick-tour layout), alphabet A C G T (no N: an N becomes [UNK]), Whitespace
    pre-tokenizer, BPE, TemplateProcessing "[CLS] $A [SEP]"."""
    SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]

    def __init__(self):
        alphabet = ["A", "C", "G", "T"]
        self.merges = train_bpe(bpe_corpus(2023, 48, 80), alphabet, 70)
        self.vocab = build_bpe_vocab(self.SPECIALS, alphabet, self.merges)
        self.bpe = BpeTokenizer(self.vocab, self.merges, "[UNK]")
        self.pad_id = self.vocab["[PAD]"]

    def tokenize(self, text):
        import re
        words = re.findall(r"\w+|[^\w\s]+", text)  # Whitespace pre-tokenizer
        toks = ["[CLS]"]
        for w in words:
            toks += self.bpe.encode_word(w)
        toks.append("[SEP]")
        return toks, [self.vocab[t] for t in toks]

    def json(self):
        cls_, sep = self.vocab["[CLS]"], self.vocab["[SEP]"]

        def special(t, type_id):
            return {"SpecialToken": OrderedDict([("id", t), ("type_id", type_id)])}

        def seq(s, type_id):
            return {"Sequence": OrderedDict([("id", s), ("type_id", type_id)])}
        post = OrderedDict([
            ("type", "TemplateProcessing"),
            ("single", [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0)]),
            ("pair", [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0), seq("B", 1), special("[SEP]", 1)]),
            ("special_tokens", OrderedDict([
                ("[CLS]", OrderedDict([("id", "[CLS]"), ("ids", [cls_]), ("tokens", ["[CLS]"])])),
                ("[SEP]", OrderedDict([("id", "[SEP]"), ("ids", [sep]), ("tokens", ["[SEP]"])])),
            ])),
        ])
        return OrderedDict([
            ("version", "1.0"), ("truncation", None), ("padding", None),
            ("added_tokens", [added_token(i, t) for i, t in enumerate(self.SPECIALS)]),
            ("normalizer", None),
            ("pre_tokenizer", OrderedDict([("type", "Whitespace")])),
            ("post_processor", post),
            ("decoder", None),
            ("model", bpe_model_json(self.vocab, self.merges, "[UNK]")),
        ])


class GenaTokenizer:
    """GENA-LM tokenizer.json layout (data/tokenizers/t2t_1000h_multi_32k): specials [UNK] [CLS]
    [SEP] [PAD] [MASK] - = 0..5, normaliser Sequence[Strip, Replace(Regex N{10,} -> "-")],
    pre-tokenizer Split("-", Isolated), BPE, BertProcessing ([CLS] 1, [SEP] 2)."""
    SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "-"]

    def __init__(self):
        alphabet = ["A", "C", "G", "N", "T"]
        self.merges = train_bpe(bpe_corpus(1000, 48, 80), alphabet, 70)
        self.vocab = build_bpe_vocab(self.SPECIALS, alphabet, self.merges)
        self.bpe = BpeTokenizer(self.vocab, self.merges, "[UNK]")
        self.pad_id = self.vocab["[PAD]"]

    def tokenize(self, text):
        import re
        text = text.strip()
        text = re.sub(r"N{10,}", "-", text)
        pieces = [p for p in re.split(r"(-)", text) if p != ""]
        toks = ["[CLS]"]
        for p in pieces:
            toks += self.bpe.encode_word(p)
        toks.append("[SEP]")
        return toks, [self.vocab[t] for t in toks]

    def json(self):
        return OrderedDict([
            ("version", "1.0"), ("truncation", None), ("padding", None),
            ("added_tokens", [added_token(i, t) for i, t in enumerate(self.SPECIALS)]),
            ("normalizer", OrderedDict([("type", "Sequence"), ("normalizers", [
                OrderedDict([("type", "Strip"), ("strip_left", True), ("strip_right", True)]),
                OrderedDict([("type", "Replace"), ("pattern", {"Regex": "N{10,}"}), ("content", "-")]),
            ])])),
            ("pre_tokenizer", OrderedDict([("type", "Split"), ("pattern", {"String": "-"}),
                                           ("behavior", "Isolated"), ("invert", False)])),
            ("post_processor", OrderedDict([("type", "BertProcessing"), ("sep", ["[SEP]", 2]), ("cls", ["[CLS]", 1])])),
            ("decoder", OrderedDict([("type", "BPEDecoder"), ("suffix", "</w>")])),
            ("model", bpe_model_json(self.vocab, self.merges, "[UNK]")),
        ])


class NtTokenizer:
    """Nucleotide Transformer 6-mer tokenizer (nucleotide_transformer/tokenizers.py): split on "N";
    each piece cut into non-overlapping 6-mers from the left, a shorter tail into single bases; an
    "N" token between pieces; <cls> prepended, no <eos>.

    v2 ids (compute_tokens_to_ids_v2): <unk> <pad> <mask> <cls> <eos> <bos> = 0..5, the 4096
    6-mers in itertools.product("ATCG") order from 6, then A T C G N (4102..4106): 4107 tokens.
    v1 ids (the default StandardTokenizer order, alphabet_size = len(vocabulary) - 2): <unk> <pad>
    <mask> <cls> = 0..3, 6-mers from 4, A T C G N = 4100..4104 (then <eos> <bos> = 4105, 4106,
    outside the model's 4105 rows): vocab.txt lists the first 4105."""

    def __init__(self, version):
        kmers = ["".join(p) for p in product("ATCG", repeat=6)]
        if version == 2:
            self.vocab_list = ["<unk>", "<pad>", "<mask>", "<cls>", "<eos>", "<bos>"] + kmers + list("ATCGN")
        else:
            self.vocab_list = ["<unk>", "<pad>", "<mask>", "<cls>"] + kmers + list("ATCGN")
        self.vocab = {t: i for i, t in enumerate(self.vocab_list)}
        assert len(self.vocab) == len(self.vocab_list)
        self.pad_id = self.vocab["<pad>"]
        self.mask_id = self.vocab["<mask>"]

    def tokenize(self, text):
        toks = ["<cls>"]
        pieces = text.split("N")
        for i, piece in enumerate(pieces):
            n6 = len(piece) // 6
            toks += [piece[6 * j:6 * j + 6] for j in range(n6)]
            toks += list(piece[6 * n6:])
            if i < len(pieces) - 1:
                toks.append("N")
        return toks, [self.vocab[t] for t in toks]


# ----------------------------------------------------------------------------------------------
# DNABERT-2 (bert_layers.py of zhihan1996/DNABERT-2-117M)
# ----------------------------------------------------------------------------------------------

def alibi_slopes(n_heads):
    """Press et al.: for a power of two n the geometric sequence starting at 2^(-8/n) with that
    ratio; otherwise the slopes of the closest smaller power of two c, then every other slope of
    the 2c sequence, the first n - c of them."""
    def geometric(n):
        first = 2.0 ** (-(2.0 ** -(math.log2(n) - 3)))
        return [first ** (i + 1) for i in range(n)]
    if math.log2(n_heads).is_integer():
        return geometric(n_heads)
    c = 2 ** math.floor(math.log2(n_heads))
    return geometric(c) + alibi_slopes(2 * c)[0::2][:n_heads - c]


# REFERENCES.md section 4: for 12 heads 0.5, 0.25, ..., 0.0039, then 0.7071, 0.3536, 0.1768, 0.0884.
assert [round(s, 4) for s in alibi_slopes(12)] == [0.5, 0.25, 0.125, 0.0625, 0.0312, 0.0156, 0.0078, 0.0039,
                                                   0.7071, 0.3536, 0.1768, 0.0884], alibi_slopes(12)
assert alibi_slopes(6) == [0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125], alibi_slopes(6)


class D2Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, input_ids, token_type_ids):
        # word + token type, LayerNorm; no position embeddings (ALiBi); dropout is off in eval.
        return self.LayerNorm(self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids))


class D2SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.Wqkv = nn.Linear(c.hidden_size, 3 * c.hidden_size)

    def forward(self, x, bias):
        b, n, _ = x.shape
        # rows of Wqkv: (t h d) with t = Q, K, V; heads contiguous inside each third
        qkv = self.Wqkv(x).view(b, n, 3, self.heads, self.head_dim)
        q = qkv[:, :, 0].permute(0, 2, 1, 3)
        k = qkv[:, :, 1].permute(0, 2, 3, 1)
        v = qkv[:, :, 2].permute(0, 2, 1, 3)
        scores = torch.matmul(q, k) / math.sqrt(self.head_dim) + bias
        probs = torch.softmax(scores, dim=-1)
        return torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(b, n, -1)


class D2SelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, h, residual):
        return self.LayerNorm(self.dense(h) + residual)  # post-LN


class D2Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = D2SelfAttention(c)
        self.output = D2SelfOutput(c)

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class D2GatedMlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.inter = c.intermediate_size
        self.gated_layers = nn.Linear(c.hidden_size, 2 * c.intermediate_size, bias=False)
        self.wo = nn.Linear(c.intermediate_size, c.hidden_size)
        self.layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x):
        h = self.gated_layers(x)
        gated, non_gated = h[..., :self.inter], h[..., self.inter:]  # first half is gated
        h = F.gelu(gated) * non_gated  # exact (erf) GELU
        return self.layernorm(self.wo(h) + x)


class D2Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = D2Attention(c)
        self.mlp = D2GatedMlp(c)

    def forward(self, x, bias):
        return self.mlp(self.attention(x, bias))


class D2Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([D2Layer(c) for _ in range(c.num_hidden_layers)])
        self.heads = c.num_attention_heads
        self.alibi_starting_size = c.alibi_starting_size

    def alibi(self, n, dtype):
        # built at alibi_starting_size, rebuilt larger when a sequence is longer (no length limit)
        size = max(self.alibi_starting_size, n)
        pos = torch.arange(size)
        rel = torch.abs(pos[None, :] - pos[:, None])
        slopes = torch.tensor(alibi_slopes(self.heads), dtype=dtype)
        return (slopes[:, None, None] * -rel.to(dtype))[None, :, :n, :n]

    def forward(self, x, attention_mask):
        mask = attention_mask[:, None, None, :].to(x.dtype)
        bias = self.alibi(x.shape[1], x.dtype) + (1.0 - mask) * -10000.0
        for layer in self.layer:
            x = layer(x, bias)
        # bert_layers.py runs the layers on the unpadded tokens and pads the result with zeros
        return x * attention_mask[:, :, None].to(x.dtype)


class D2Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = D2Embeddings(c)
        self.encoder = D2Encoder(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.encoder(self.embeddings(input_ids, token_type_ids), attention_mask)


class D2PredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=1e-12)  # fixed eps in bert_layers.py

    def forward(self, h):
        return self.LayerNorm(F.gelu(self.dense(h)))  # hidden_act "gelu" = exact GELU


class D2LMPredictionHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.transform = D2PredictionHeadTransform(c)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size)  # own bias
        self.decoder.weight = word_embeddings.weight  # tie_word_embeddings

    def forward(self, h):
        return self.decoder(self.transform(h))


class D2OnlyMLMHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.predictions = D2LMPredictionHead(c, word_embeddings)

    def forward(self, h):
        return self.predictions(h)


class D2ForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = D2Model(c)  # add_pooling_layer=False
        self.cls = D2OnlyMLMHead(c, self.bert.embeddings.word_embeddings)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.bert(input_ids, attention_mask, token_type_ids)
        return {"hidden_states": h, "logits": self.cls(h)}


# ----------------------------------------------------------------------------------------------
# ESM: Nucleotide Transformer v1 (native EsmForMaskedLM) and v2 (InstaDeep's modeling_esm.py)
# ----------------------------------------------------------------------------------------------

def esm_gelu(x):
    return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class EsmRotaryEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        inv_freq = 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq)  # persistent: in the checkpoints

    def forward(self, q, k):
        t = torch.arange(k.shape[-2]).type_as(self.inv_freq)
        freqs = torch.outer(t, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)  # NeoX layout: halves, not interleaved pairs
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def esm_position_ids(input_ids, padding_idx):
    """RoBERTa style: non-pad tokens count from padding_idx + 1; pad tokens get padding_idx."""
    mask = input_ids.ne(padding_idx).int()
    return (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + padding_idx


class EsmEmbeddings(nn.Module):
    def __init__(self, c, v2):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layer_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps) if c.emb_layer_norm_before else None
        if not v2:
            # transformers 4.29 (NT v1's transformers_version) kept position_ids as a persistent buffer
            self.register_buffer("position_ids", torch.arange(c.max_position_embeddings).expand((1, -1)))
        # InstaDeep's v2 EsmEmbeddings creates position_embeddings unconditionally (unused with rotary)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.position_embedding_type = c.position_embedding_type
        self.token_dropout = c.token_dropout
        self.mask_token_id = c.mask_token_id
        self.padding_idx = c.pad_token_id

    def forward(self, input_ids, attention_mask):
        x = self.word_embeddings(input_ids)
        if self.token_dropout:
            is_mask = (input_ids == self.mask_token_id)
            x = x.masked_fill(is_mask[..., None], 0.0)
            mask_ratio_train = 0.15 * 0.8
            src_lengths = attention_mask.sum(-1)
            mask_ratio_observed = is_mask.sum(-1).float() / src_lengths
            x = (x * (1 - mask_ratio_train) / (1 - mask_ratio_observed)[:, None, None]).to(x.dtype)
        if self.position_embedding_type == "absolute":
            x = x + self.position_embeddings(esm_position_ids(input_ids, self.padding_idx))
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        return (x * attention_mask[..., None]).to(x.dtype)


class EsmSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.rotary_embeddings = EsmRotaryEmbedding(self.head_dim) if c.position_embedding_type == "rotary" else None

    def forward(self, x, ext_mask):
        b, n, _ = x.shape

        def split(t):
            return t.view(b, n, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        q = q * self.head_dim ** -0.5  # ESM scales the query, before the rotary embedding
        if self.rotary_embeddings is not None:
            q, k = self.rotary_embeddings(q, k)
        scores = torch.matmul(q, k.transpose(-1, -2)) + ext_mask
        probs = torch.softmax(scores, dim=-1)
        return torch.matmul(probs, v).transpose(1, 2).reshape(b, n, -1)


class EsmSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, h, residual):
        return self.dense(h) + residual


class EsmAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = EsmSelfAttention(c)
        self.output = EsmSelfOutput(c)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x, ext_mask):
        return self.output(self.self(self.LayerNorm(x), ext_mask), x)  # pre-LN


class EsmIntermediate(nn.Module):
    def __init__(self, c, v2):
        super().__init__()
        self.v2 = v2
        if v2:  # SwiGLU: one projection to 2 x intermediate, bias = add_bias_fnn
            self.dense = nn.Linear(c.hidden_size, 2 * c.intermediate_size, bias=c.add_bias_fnn)
        else:
            self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        h = self.dense(x)
        if self.v2:
            x1, x2 = h.split(h.shape[-1] // 2, -1)
            return F.silu(x1) * x2
        return esm_gelu(h)


class EsmOutput(nn.Module):
    def __init__(self, c, v2):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size, bias=(c.add_bias_fnn if v2 else True))

    def forward(self, h, residual):
        return self.dense(h) + residual


class EsmLayer(nn.Module):
    def __init__(self, c, v2):
        super().__init__()
        self.attention = EsmAttention(c)
        self.intermediate = EsmIntermediate(c, v2)
        self.output = EsmOutput(c, v2)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x, ext_mask):
        h = self.attention(x, ext_mask)
        return self.output(self.intermediate(self.LayerNorm(h)), h)


class EsmEncoder(nn.Module):
    def __init__(self, c, v2):
        super().__init__()
        self.layer = nn.ModuleList([EsmLayer(c, v2) for _ in range(c.num_hidden_layers)])
        self.emb_layer_norm_after = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x, ext_mask):
        for layer in self.layer:
            x = layer(x, ext_mask)
        return self.emb_layer_norm_after(x)


class EsmContactPredictionHead(nn.Module):
    def __init__(self, in_features):
        super().__init__()
        self.regression = nn.Linear(in_features, 1)


class EsmModel(nn.Module):
    def __init__(self, c, v2):
        super().__init__()
        self.embeddings = EsmEmbeddings(c, v2)
        self.encoder = EsmEncoder(c, v2)
        # EsmModel always builds the contact head; it is saved but unused by the MLM outputs
        self.contact_head = EsmContactPredictionHead(c.num_hidden_layers * c.num_attention_heads)

    def forward(self, input_ids, attention_mask):
        x = self.embeddings(input_ids, attention_mask)
        m = attention_mask[:, None, None, :].to(x.dtype)
        ext_mask = (1.0 - m) * torch.finfo(x.dtype).min  # get_extended_attention_mask
        return self.encoder(x, ext_mask)


class EsmLMHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.layer_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))

    def forward(self, h):
        return self.decoder(self.layer_norm(esm_gelu(self.dense(h)))) + self.bias


class EsmForMaskedLM(nn.Module):
    def __init__(self, c, v2):
        super().__init__()
        self.esm = EsmModel(c, v2)
        self.lm_head = EsmLMHead(c)  # tie_word_embeddings false

    def forward(self, input_ids, attention_mask):
        h = self.esm(input_ids, attention_mask)
        return {"hidden_states": h, "logits": self.lm_head(h)}


# ----------------------------------------------------------------------------------------------
# GENA-LM BERT (GENA_LM src/gena_lm/modeling_bert.py, a fork of transformers 4.17 BERT)
# ----------------------------------------------------------------------------------------------

class GenaEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        # persistent in the 4.17-era code: the checkpoint carries bert.embeddings.position_ids
        self.register_buffer("position_ids", torch.arange(c.max_position_embeddings).expand((1, -1)))

    def forward(self, input_ids, token_type_ids):
        n = input_ids.shape[1]
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(self.position_ids[:, :n])  # 0..n-1, padding or not
        return self.LayerNorm(x)


class GenaSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x, ext_mask):
        b, n, _ = x.shape

        def split(t):
            return t.view(b, n, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + ext_mask
        probs = torch.softmax(scores, dim=-1)
        return torch.matmul(probs, v).transpose(1, 2).reshape(b, n, -1)


class GenaSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)  # pre_layer_norm: no LayerNorm here

    def forward(self, h):
        return self.dense(h)


class GenaAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = GenaSelfAttention(c)
        self.output = GenaSelfOutput(c)

    def forward(self, x, ext_mask):
        return self.output(self.self(x, ext_mask))


class GenaIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        return F.gelu(self.dense(x))  # hidden_act "gelu" = exact GELU


class GenaOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)  # no LayerNorm (pre-LN)

    def forward(self, h):
        return self.dense(h)


class GenaLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.pre_attention_ln = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.post_attention_ln = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.attention = GenaAttention(c)
        self.intermediate = GenaIntermediate(c)
        self.output = GenaOutput(c)

    def forward(self, x, ext_mask):
        a = x + self.attention(self.pre_attention_ln(x), ext_mask)
        return a + self.output(self.intermediate(self.post_attention_ln(a)))


class GenaEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([GenaLayer(c) for _ in range(c.num_hidden_layers)])
        # last_layer_norm defaults to pre_layer_norm when the key is absent
        self.last = c.get("last_layer_norm", c.pre_layer_norm)
        if self.last:
            self.last_layer_ln = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x, ext_mask):
        for layer in self.layer:
            x = layer(x, ext_mask)
        return self.last_layer_ln(x) if self.last else x


class GenaModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = GenaEmbeddings(c)
        self.encoder = GenaEncoder(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.embeddings(input_ids, token_type_ids)
        m = attention_mask[:, None, None, :].to(x.dtype)
        return self.encoder(x, (1.0 - m) * torch.finfo(x.dtype).min)


class GenaPredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, h):
        return self.LayerNorm(F.gelu(self.dense(h)))


class GenaLMPredictionHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.transform = GenaPredictionHeadTransform(c)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.decoder.bias = self.bias  # cls.predictions.decoder.bias aliases cls.predictions.bias
        self.decoder.weight = word_embeddings.weight  # tied

    def forward(self, h):
        return self.decoder(self.transform(h))


class GenaOnlyMLMHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.predictions = GenaLMPredictionHead(c, word_embeddings)

    def forward(self, h):
        return self.predictions(h)


class GenaForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = GenaModel(c)  # add_pooling_layer=False
        self.cls = GenaOnlyMLMHead(c, self.bert.embeddings.word_embeddings)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.bert(input_ids, attention_mask, token_type_ids)
        return {"hidden_states": h, "logits": self.cls(h)}


# ----------------------------------------------------------------------------------------------
# Running the models and writing the fixtures
# ----------------------------------------------------------------------------------------------

def pad_batch(id_lists, pad_id):
    n = max(len(x) for x in id_lists)
    ids = torch.full((len(id_lists), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(id_lists), n), dtype=torch.long)
    for i, x in enumerate(id_lists):
        ids[i, :len(x)] = torch.tensor(x, dtype=torch.long)
        mask[i, :len(x)] = 1
    return ids, mask


def run(model, kind, input_ids, attention_mask):
    with torch.no_grad():
        if kind == "esm":
            return model(input_ids, attention_mask)
        return model(input_ids, attention_mask, torch.zeros_like(input_ids))


def max_abs_valid(a, b, mask):
    m = mask.bool()
    return float((a.double() - b.double()).abs()[m].max())


def check_and_reference(model, kind, input_ids, attention_mask):
    """float32 batched outputs; checks each sequence alone (no padding) against its valid rows of
    the batch, and measures the float32 outputs against a float64 run of the same weights."""
    model.eval()
    out = run(model, kind, input_ids, attention_mask)
    for i in range(input_ids.shape[0]):
        n = int(attention_mask[i].sum())
        single = run(model, kind, input_ids[i:i + 1, :n], attention_mask[i:i + 1, :n])
        for key in out:
            d = float((single[key][0] - out[key][i, :n]).abs().max())
            assert d < 1e-5, (kind, key, i, d)
    m64 = copy.deepcopy(model).double().eval()
    ref = run(m64, kind, input_ids, attention_mask)
    diffs = OrderedDict((k, max_abs_valid(out[k], ref[k], attention_mask)) for k in out)
    for k, d in diffs.items():
        assert d < 1e-4, (kind, k, d)
    return out, diffs


def write_expected(directory, model_name, sequences, tokens, token_ids, input_ids, attention_mask,
                   token_type_ids, position_ids, tensors, tensor_docs, extra, diffs, notes):
    st = OrderedDict((k, v.contiguous()) for k, v in tensors.items())
    write_bytes(os.path.join(directory, "expected.safetensors"), safetensors_bytes(st, None))
    doc = OrderedDict()
    doc["format"] = "strand-hf-fixture/1"
    doc["model"] = model_name
    doc["generator"] = "make_hf_fixtures.py"
    doc["torch_version"] = torch.__version__
    doc["dtype"] = "float32"
    doc["tensors_file"] = "expected.safetensors"
    doc["sequences"] = sequences
    doc["tokens"] = tokens
    doc["token_ids"] = token_ids
    doc["input_ids"] = input_ids.tolist()
    doc["attention_mask"] = attention_mask.tolist()
    doc["token_type_ids"] = token_type_ids.tolist() if token_type_ids is not None else None
    doc["position_ids"] = position_ids.tolist() if position_ids is not None else None
    doc.update(extra)
    doc["tensors"] = OrderedDict(
        (k, OrderedDict([("dtype", ST_DTYPES[v.dtype][0]), ("shape", list(v.shape)), ("meaning", tensor_docs[k])]))
        for k, v in st.items())
    doc["compare"] = OrderedDict([
        ("rows", "only positions with attention_mask 1; padded rows are implementation detail"),
        ("tolerance", 1e-4),
        ("float32_vs_float64_max_abs_diff", diffs),
    ])
    doc["notes"] = notes
    write_bytes(os.path.join(directory, "expected.json"), (compact_json(doc) + "\n").encode("utf-8"))


def bert_position_ids(attention_mask):
    return torch.arange(attention_mask.shape[1])[None, :].expand(attention_mask.shape[0], -1)


def make_dnabert2():
    d = os.path.join(HERE, "dnabert2")
    tok = Dnabert2Tokenizer()
    c = Config(
        alibi_starting_size=16,
        architectures=["BertForMaskedLM"],
        attention_probs_dropout_prob=0.0,
        auto_map=OrderedDict([
            ("AutoConfig", "configuration_bert.BertConfig"),
            ("AutoModel", "bert_layers.BertModel"),
            ("AutoModelForMaskedLM", "bert_layers.BertForMaskedLM"),
            ("AutoModelForSequenceClassification", "bert_layers.BertForSequenceClassification"),
        ]),
        classifier_dropout=None,
        gradient_checkpointing=False,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        hidden_size=24,
        initializer_range=0.02,
        intermediate_size=40,
        layer_norm_eps=1e-12,
        max_position_embeddings=512,
        model_type="bert",
        num_attention_heads=6,
        num_hidden_layers=2,
        pad_token_id=0,
        position_embedding_type="absolute",
        torch_dtype="float32",
        transformers_version="4.28.0",
        type_vocab_size=2,
        use_cache=True,
        vocab_size=len(tok.vocab),
    )
    model = D2ForMaskedLM(c)
    init_parameters(model, 2)
    write_json(os.path.join(d, "config.json"), dict(c), sort_keys=True)
    write_json(os.path.join(d, "tokenizer.json"), tok.json())
    keys_bin, keys_st, dropped = save_weights(d, model)

    toks = [tok.tokenize(s) for s in SEQUENCES]
    ids, mask = pad_batch([t[1] for t in toks], tok.pad_id)
    assert max(len(t[1]) for t in toks) > c.alibi_starting_size  # exercises the ALiBi rebuild
    out, diffs = check_and_reference(model, "bert", ids, mask)
    write_expected(
        d, "dnabert2", SEQUENCES, [t[0] for t in toks], [t[1] for t in toks], ids, mask,
        torch.zeros_like(ids), None,
        OrderedDict([("hidden_states", out["hidden_states"]), ("logits", out["logits"])]),
        {"hidden_states": "bert(...)[0], last_hidden_state [batch, seq, hidden]; bert_layers.py "
                          "pads rows with attention_mask 0 with zeros",
         "logits": "cls(hidden_states), MLM logits [batch, seq, vocab]"},
        OrderedDict([
            ("pad_token_id", tok.pad_id),
            ("special_token_ids", OrderedDict((t, tok.vocab[t]) for t in tok.SPECIALS)),
            ("alibi_slopes", alibi_slopes(c.num_attention_heads)),
            ("checkpoint_keys", OrderedDict([("pytorch_model.bin", keys_bin), ("model.safetensors", keys_st)])),
            ("tied_keys_only_in_bin", dropped),
        ]),
        diffs,
        ["No position ids: DNABERT-2 uses ALiBi (bias -slope*|i-j|, slopes listed above).",
         "The longest input is longer than alibi_starting_size (16), so the ALiBi table is rebuilt.",
         "config.json pad_token_id is 0 (as in the real config) while the tokenizer's [PAD] is 3; "
         "inputs are padded with 3.",
         "An N is not in this tiny vocabulary and becomes [UNK] (0)."])
    return d


def make_nt(version):
    v2 = version == 2
    d = os.path.join(HERE, "nt-v2" if v2 else "nt-v1")
    tok = NtTokenizer(version)
    common = OrderedDict(
        architectures=["EsmForMaskedLM"],
        attention_probs_dropout_prob=0.0,
        emb_layer_norm_before=False,
        esmfold_config=None,
        hidden_dropout_prob=0.0,
        hidden_size=8 if v2 else 4,
        initializer_range=0.02,
        is_folding_model=False,
        layer_norm_eps=1e-12,
        mask_token_id=2,
        max_position_embeddings=66,
        model_type="esm",
        num_attention_heads=2,
        num_hidden_layers=2,
        pad_token_id=1,
        tie_word_embeddings=False,
        torch_dtype="float32",
        use_cache=False,
        vocab_list=None,
        vocab_size=len(tok.vocab_list),
    )
    if v2:
        common.update(
            add_bias_fnn=False,
            auto_map=OrderedDict([
                ("AutoConfig", "esm_config.EsmConfig"),
                ("AutoModelForMaskedLM", "modeling_esm.EsmForMaskedLM"),
                ("AutoModelForSequenceClassification", "modeling_esm.EsmForSequenceClassification"),
                ("AutoModelForTokenClassification", "modeling_esm.EsmForTokenClassification"),
            ]),
            intermediate_size=12,
            position_embedding_type="rotary",
            token_dropout=False,
            transformers_version="4.32.0.dev0",
        )
    else:
        common.update(
            intermediate_size=8,
            position_embedding_type="absolute",
            token_dropout=True,
            transformers_version="4.29.0.dev0",
        )
    c = Config(common)
    assert c.vocab_size == (4107 if v2 else 4105)
    model = EsmForMaskedLM(c, v2)
    init_parameters(model, 12 if v2 else 11)
    write_json(os.path.join(d, "config.json"), dict(c), sort_keys=True)
    write_bytes(os.path.join(d, "vocab.txt"), ("\n".join(tok.vocab_list) + "\n").encode("ascii"))
    special = OrderedDict([("cls_token", "<cls>"), ("mask_token", "<mask>"), ("pad_token", "<pad>"),
                           ("unk_token", "<unk>")])
    write_json(os.path.join(d, "special_tokens_map.json"), special)
    tcfg = OrderedDict([("clean_up_tokenization_spaces", True), ("cls_token", "<cls>"), ("eos_token", None),
                        ("mask_token", "<mask>"), ("model_max_length", c.max_position_embeddings - 2),
                        ("pad_token", "<pad>"), ("tokenizer_class", "EsmTokenizer"), ("unk_token", "<unk>")])
    write_json(os.path.join(d, "tokenizer_config.json"), tcfg)
    keys_bin, keys_st, dropped = save_weights(d, model)

    toks = [tok.tokenize(s) for s in SEQUENCES]
    if v2:
        assert tok.tokenize("AAAAAA")[1] == [3, 6] and tok.tokenize("ATCGN")[1] == [3, 4102, 4103, 4104, 4105, 4106]
    else:
        assert tok.tokenize("AAAAAA")[1] == [3, 4] and tok.tokenize("ATCGN")[1] == [3, 4100, 4101, 4102, 4103, 4104]
    ids, mask = pad_batch([t[1] for t in toks], tok.pad_id)
    # one <mask> in the second sequence: exercises token dropout (v1) and its absence (v2)
    masked = [[1, 2]]
    for b, p in masked:
        ids[b, p] = tok.mask_id
    out, diffs = check_and_reference(model, "esm", ids, mask)
    # logits: every row over a few columns, plus full rows at a few positions
    cols = [0, 1, 2, 3] + ([4, 5] if v2 else []) + [tok.vocab[t] for t in ["A", "T", "C", "G", "N"]] + \
           [tok.vocab[t] for t in ["AAAAAA", "GGGGGG", "ACGTTG", "CAGGCT", "GATTAC"]]
    lens = [len(t[1]) for t in toks]
    rows = [[0, 3], [1, 2], [2, lens[2] - 1]]
    logits = out["logits"]
    pos = esm_position_ids(ids, c.pad_token_id) if not v2 else bert_position_ids(mask)
    scale = None
    if not v2:
        scale = [(1 - 0.15 * 0.8) / (1 - sum(1 for bb, _ in masked if bb == i) / lens[i]) for i in range(len(lens))]
    write_expected(
        d, "nt-v2" if v2 else "nt-v1", SEQUENCES, [t[0] for t in toks], [t[1] for t in toks], ids, mask,
        None, pos,
        OrderedDict([
            ("hidden_states", out["hidden_states"]),
            ("logits_columns", logits[:, :, cols]),
            ("logits_rows", torch.stack([logits[b, p] for b, p in rows])),
        ]),
        {"hidden_states": "esm(...).last_hidden_state (after emb_layer_norm_after) [batch, seq, hidden]",
         "logits_columns": "lm_head logits [batch, seq, len(logits_column_ids)] at the vocabulary ids "
                           "listed in logits_column_ids",
         "logits_rows": "lm_head logits over the whole vocabulary [len(logits_row_positions), vocab] at "
                        "the [batch, position] pairs listed in logits_row_positions"},
        OrderedDict([
            ("pad_token_id", tok.pad_id),
            ("special_token_ids", OrderedDict((t, tok.vocab[t]) for t in tok.vocab_list if t.startswith("<"))),
            ("masked_positions", masked),
            ("token_dropout_scale", scale),
            ("logits_column_ids", cols),
            ("logits_row_positions", rows),
            ("checkpoint_keys", OrderedDict([("pytorch_model.bin", keys_bin), ("model.safetensors", keys_st)])),
            ("tied_keys_only_in_bin", dropped),
        ]),
        diffs,
        (["position_ids: rotary positions 0..seq-1 (padding does not shift them); "
          "esm.embeddings.position_embeddings is in the checkpoint but unused.",
          "token_dropout false: the <mask> embedding is used as is, no scaling.",
          "intermediate.dense is [2*intermediate, hidden] without bias: SiLU(first half) * second half."]
         if v2 else
         ["position_ids: RoBERTa style, non-pad tokens count from pad_token_id + 1 = 2, pads get 1.",
          "token_dropout true: <mask> embeddings are zeroed and every sequence's embeddings scaled by "
          "(1 - 0.15*0.8) / (1 - masked/valid tokens), token_dropout_scale lists the factor per sequence; "
          "the scaling applies even without any <mask> (factor 0.88)."])
        + ["input_ids equal token_ids padded with <pad> (1), except the <mask> (2) put at masked_positions.",
           "The tokenizer adds <cls> and no <eos>."])
    return d


def make_gena(lastln):
    d = os.path.join(HERE, "gena-bert-lastln" if lastln else "gena-bert")
    tok = GenaTokenizer()
    c = Config(
        architectures=["BertForMaskedLM"],
        attention_probs_dropout_prob=0.1,
        auto_map={"AutoModel": "modeling_bert.BertForMaskedLM"},
        gradient_checkpointing=False,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        hidden_size=16,
        initializer_range=0.02,
        intermediate_size=32,
        last_layer_norm=lastln,
        layer_norm_eps=1e-5 if lastln else 1e-12,
        max_position_embeddings=64,
        model_type="bert",
        num_attention_heads=4,
        num_hidden_layers=2,
        pad_token_id=3,
        position_embedding_type="absolute",
        pre_layer_norm=True,
        transformers_version="4.6.0.dev0",
        type_vocab_size=2,
        use_cache=True,
        vocab_size=len(tok.vocab),
    )
    model = GenaForMaskedLM(c)
    init_parameters(model, 22 if lastln else 21)
    write_json(os.path.join(d, "config.json"), dict(c), sort_keys=True)
    write_json(os.path.join(d, "tokenizer.json"), tok.json())
    # byte-for-byte the shapes of the real files (46 and 112 bytes, no newline)
    write_bytes(os.path.join(d, "tokenizer_config.json"), b'{"tokenizer_class": "PreTrainedTokenizerFast"}')
    write_bytes(os.path.join(d, "special_tokens_map.json"),
                b'{"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", '
                b'"cls_token": "[CLS]", "mask_token": "[MASK]"}')
    keys_bin, keys_st, dropped = save_weights(d, model)

    toks = [tok.tokenize(s) for s in SEQUENCES]
    assert "-" in toks[2][0] and "N" in toks[1][0]
    ids, mask = pad_batch([t[1] for t in toks], tok.pad_id)
    out, diffs = check_and_reference(model, "bert", ids, mask)
    write_expected(
        d, "gena-bert-lastln" if lastln else "gena-bert", SEQUENCES, [t[0] for t in toks], [t[1] for t in toks],
        ids, mask, torch.zeros_like(ids), bert_position_ids(mask),
        OrderedDict([("hidden_states", out["hidden_states"]), ("logits", out["logits"])]),
        {"hidden_states": "bert(...).last_hidden_state [batch, seq, hidden]" +
                          (" (after encoder.last_layer_ln)" if lastln else " (no final LayerNorm)"),
         "logits": "cls(hidden_states), MLM logits [batch, seq, vocab]"},
        OrderedDict([
            ("pad_token_id", tok.pad_id),
            ("special_token_ids", OrderedDict((t, tok.vocab[t]) for t in tok.SPECIALS)),
            ("checkpoint_keys", OrderedDict([("pytorch_model.bin", keys_bin), ("model.safetensors", keys_st)])),
            ("tied_keys_only_in_bin", dropped),
        ]),
        diffs,
        ["position_ids 0..seq-1 whatever the padding (BERT absolute positions).",
         "The third sequence's run of 12 N is normalised to '-' (id 5); the single N of the second is "
         "the token N.",
         "bert.embeddings.position_ids (int64 [1, max_position_embeddings]) is a buffer saved in both files."])
    return d


def main():
    dirs = [make_dnabert2(), make_nt(2), make_nt(1), make_gena(False), make_gena(True)]
    total = 0
    for d in dirs:
        size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        total += size
        print("%-18s %8d bytes  %s" % (os.path.basename(d), size, " ".join(sorted(os.listdir(d)))))
    print("%-18s %8d bytes" % ("total", total))


if __name__ == "__main__":
    sys.exit(main())
