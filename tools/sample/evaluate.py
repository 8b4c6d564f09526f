#!/usr/bin/python3
"""Evaluate the sample model with this script's own forward pass (the parallel training form in rwkv7.py, float32,
one thread) and write models-sample/metrics.json and models-sample/samples.txt.

* held-out perplexity and bits per byte on heldout.txt, two ways: each chapter as one sequence from the zero state
  (main figure), and in independent windows of 128 tokens (the training context). The first token of each
  sequence is not scored (no BOS token; id 0 never occurs in training). Bits per byte = scored nats / ln 2 / bytes of
  the scored tokens.
* last-word accuracy (lastword.jsonl): context = text up to its last space, target = " " + last word, each tokenized
  separately (as lm-evaluation-harness does); correct when greedy decoding reproduces every target token. Word
  perplexity = exp(mean over items of the target's negative log-likelihood).
* multiple choice (choice.jsonl): acc = argmax of the summed choice log-likelihood, acc_norm = argmax of that sum
  divided by the choice's UTF-8 byte length.
* FFN sparsity per layer: share of exact zeros of relu(k)^2 over all chapters of heldout.txt.
* baselines: add-one smoothed unigram over the training tokens (ids 1..V-1), and chance (0.25) for multiple choice.
* RNN-form check: max |logit difference| between rwkv7.rnn_step (float64) and the parallel form on a held-out prompt.
"""
import os, sys, json, math, glob, hashlib, argparse, random
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_flush_denormal(True)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import MS, DATA, tokenizer, token_ids
from rwkv7 import load_model, rnn_init_state, rnn_step

ap = argparse.ArgumentParser()
ap.add_argument("--model", default=None)
ap.add_argument("--quick", action="store_true", help="subset only (for testing)")
args = ap.parse_args()
path = args.model or sorted(glob.glob(os.path.join(MS, "rwkv7-*.pth")))[0]
model = load_model(path).eval()
sd = model.state_dict()
tok = tokenizer()
V = sd["emb.weight"].shape[0]
nbytes_tok = np.array([0] + [len(b) for b in tok.idx2bytes[1:]] + [0] * (V - len(tok.idx2bytes)), dtype=np.int64)

# unigram baseline from the training tokens
cnt = np.bincount(token_ids("train"), minlength=V).astype(np.float64)
cnt[0] = 0
uni = np.where(np.arange(V) > 0, cnt + 1, 0.0)
uni_logp = torch.from_numpy(np.log(np.maximum(uni / uni.sum(), 1e-300)))
uni_argmax = int(np.argmax(uni))


def logprobs(ids_list, acts=None):
    """Right-padded batch forward; returns log-softmax (B, T, V) for inputs ids[:-1]."""
    T = max(len(x) for x in ids_list) - 1
    x = torch.zeros(len(ids_list), T, dtype=torch.long)
    for i, ids in enumerate(ids_list):
        x[i, :len(ids) - 1] = torch.tensor(ids[:-1])
    with torch.no_grad():
        return F.log_softmax(model(x, acts).double(), -1)


def breakdown(sd):
    parts = {}
    for k, v in sd.items():
        if k.startswith("blocks."):
            name = k.split(".", 2)[2]
            if name in ("att.receptance.weight", "att.key.weight", "att.value.weight", "att.output.weight"):
                g = "blocks: att receptance/key/value/output"
            elif name.split(".")[-1] in ("w1", "w2", "a1", "a2", "v1", "v2", "g1", "g2"):
                g = "blocks: att LoRA w1/w2 a1/a2 v1/v2 g1/g2"
            elif name.startswith("ffn.key") or name.startswith("ffn.value"):
                g = "blocks: ffn key/value"
            else:
                g = "blocks: vectors (token-shift mixes, w0/a0/v0, k_k/k_a/r_k, ln_x, ln0/ln1/ln2)"
        elif k.startswith("emb"):
            g = "emb"
        elif k.startswith("head"):
            g = "head"
        else:
            g = "ln_out"
        parts[g] = parts.get(g, 0) + v.numel()
    return parts


res = {"model": os.path.basename(path), "model_sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
       "vocab_size": V, "parameters": sum(v.numel() for v in sd.values()), "parameter_breakdown": breakdown(sd)}

# ---------------------------------------------------------------- held-out perplexity + FFN sparsity
text = open(os.path.join(DATA, "heldout.txt"), encoding="utf-8").read()
chapters = [tok.encode(c) for c in text.strip("\n").split("\n\n")]
if args.quick:
    chapters = chapters[:6]
L = len([k for k in sd if k.endswith("ffn.key.weight")])
zeros, total = [0] * L, [0] * L
nll = nll_uni = 0.0
ntok = nbyte = 0
for ids in chapters:
    acts = []
    lp = logprobs([ids], acts)[0]
    y = torch.tensor(ids[1:])
    nll -= lp.gather(1, y[:, None]).sum().item()
    nll_uni -= uni_logp[y].sum().item()
    ntok += len(y)
    nbyte += int(nbytes_tok[ids[1:]].sum())
    for l, h in enumerate(acts):
        zeros[l] += int((h == 0).sum())
        total[l] += h.numel()
res["heldout_chapters"] = {"sequences": len(chapters), "scored_tokens": ntok, "scored_bytes": nbyte,
                           "ppl": math.exp(nll / ntok), "bpb": nll / math.log(2) / nbyte,
                           "unigram_ppl": math.exp(nll_uni / ntok), "unigram_bpb": nll_uni / math.log(2) / nbyte}
res["ffn_sparsity"] = [z / t for z, t in zip(zeros, total)]
res["ffn_width"] = int(sd["blocks.0.ffn.key.weight"].shape[0])
W = 128
wins = []
for ids in chapters:
    for i in range(0, len(ids) - 1, W):
        if len(ids[i:i + W + 1]) >= 2:
            wins.append(ids[i:i + W + 1])
nll = 0.0
ntok = nbyte = 0
for i in range(0, len(wins), 16):
    batch = wins[i:i + 16]
    lp = logprobs(batch)
    for b, ids in enumerate(batch):
        y = torch.tensor(ids[1:])
        nll -= lp[b, :len(y)].gather(1, y[:, None]).sum().item()
        ntok += len(y)
        nbyte += int(nbytes_tok[ids[1:]].sum())
res["heldout_windows128"] = {"sequences": len(wins), "scored_tokens": ntok, "scored_bytes": nbyte,
                             "ppl": math.exp(nll / ntok), "bpb": nll / math.log(2) / nbyte}
print(json.dumps({k: res[k] for k in ("heldout_chapters", "heldout_windows128", "ffn_sparsity")}), flush=True)

# ---------------------------------------------------------------- last word
items = [json.loads(l) for l in open(os.path.join(DATA, "lastword.jsonl"), encoding="utf-8")]
if args.quick:
    items = items[:50]
hit = hit_uni = 0
wnll = wnll_uni = 0.0
for it in items:
    ctx, word = it["text"].rsplit(" ", 1)
    c, t = tok.encode(ctx), tok.encode(" " + word)
    lp = logprobs([c + t])[0, len(c) - 1:]
    tt = torch.tensor(t)
    wnll -= lp.gather(1, tt[:, None]).sum().item()
    hit += int(bool((lp.argmax(-1) == tt).all()))
    wnll_uni -= uni_logp[tt].sum().item()
    hit_uni += int(all(x == uni_argmax for x in t))
n = len(items)
res["lastword"] = {"items": n, "acc": hit / n, "word_ppl": math.exp(wnll / n),
                   "unigram_acc": hit_uni / n, "unigram_word_ppl": math.exp(wnll_uni / n)}
print(json.dumps(res["lastword"]), flush=True)

# ---------------------------------------------------------------- multiple choice
items = [json.loads(l) for l in open(os.path.join(DATA, "choice.jsonl"), encoding="utf-8")]
if args.quick:
    items = items[:50]
acc = accn = acc_u = accn_u = 0
for it in items:
    c = tok.encode(it["context"])
    chs = [tok.encode(x) for x in it["choices"]]
    lp = logprobs([c + x for x in chs])
    ll, llu = [], []
    for b, x in enumerate(chs):
        tt = torch.tensor(x)
        ll.append(lp[b, len(c) - 1:len(c) - 1 + len(x)].gather(1, tt[:, None]).sum().item())
        llu.append(uni_logp[tt].sum().item())
    blen = [len(x.encode("utf-8")) for x in it["choices"]]
    g = it["gold"]
    acc += int(int(np.argmax(ll)) == g)
    accn += int(int(np.argmax([a / b for a, b in zip(ll, blen)])) == g)
    acc_u += int(int(np.argmax(llu)) == g)
    accn_u += int(int(np.argmax([a / b for a, b in zip(llu, blen)])) == g)
n = len(items)
res["choice"] = {"items": n, "acc": acc / n, "acc_norm": accn / n, "unigram_acc": acc_u / n,
                 "unigram_acc_norm": accn_u / n, "chance": 0.25}
print(json.dumps(res["choice"]), flush=True)

# ---------------------------------------------------------------- RNN form vs parallel form
prompt = tok.encode(text[:400])[:64]
sd64 = {k: v.double() for k, v in sd.items()}
st = rnn_init_state(sd64)
with torch.no_grad():
    par = model(torch.tensor([prompt]))[0].double()
    diff = 0.0
    for i, t in enumerate(prompt):
        diff = max(diff, (rnn_step(sd64, t, st) - par[i]).abs().max().item())
res["rnn_vs_parallel_max_abs_logit_diff"] = diff

# ---------------------------------------------------------------- samples (RNN form, float32)
def generate(prompt, n, temperature=None, top_p=0.9, seed=0):
    g = torch.Generator().manual_seed(seed)
    st = rnn_init_state(sd, torch.float32)
    ids = tok.encode(prompt)
    with torch.no_grad():
        for t in ids:
            logits = rnn_step(sd, t, st)
        out = []
        for _ in range(n):
            logits[0] = -float("inf")
            if temperature is None:
                nxt = int(logits.argmax())
            else:
                p = torch.softmax(logits / temperature, -1)
                sp, si = torch.sort(p, descending=True)
                keep = (sp.cumsum(0) - sp) < top_p
                sp = sp * keep
                nxt = int(si[torch.multinomial(sp / sp.sum(), 1, generator=g)])
            out.append(nxt)
            logits = rnn_step(sd, nxt, st)
    return prompt + tok.decode(out)


prompts = ["In the beginning", "And the LORD said unto Moses,", "Blessed are the", "And Jesus answered and said unto them,"]
samples = []
for i, p in enumerate(prompts):
    samples.append({"prompt": p, "mode": "greedy", "text": generate(p, 48)})
    samples.append({"prompt": p, "mode": "sampled T=0.8 top_p=0.9 seed=%d" % i, "text": generate(p, 48, 0.8, 0.9, i)})
res["samples"] = samples
with open(os.path.join(MS, "samples.txt"), "w", encoding="utf-8") as f:
    for s in samples:
        f.write("=== %s | %s\n%s\n\n" % (s["prompt"], s["mode"], s["text"]))
out = os.path.join(MS, "metrics.json" if not args.quick else "metrics.quick.json")
if args.quick:
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "work", "metrics.quick.json")
with open(out, "w") as f:
    json.dump(res, f, indent=1)
print("wrote", out)
