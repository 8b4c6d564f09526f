#!/usr/bin/python3
"""Train the sample RWKV-7 on the KJV training books (CPU, one thread).

Fixed seeds; batches of --batch random windows of --ctx tokens from the training token stream (seeded generator,
saved in checkpoints). AdamW, linear warmup then cosine decay over --total-steps. Every --eval-every steps the
held-out loss is measured on a fixed slice of held-out text (first --eval-tokens tokens, sequences of 256 tokens);
the best model so far is saved to models-sample/<name>.pth (float32 state dict), training stops early after
--patience evaluations without improvement, or when --max-minutes of training time are used up. A full checkpoint
(model + optimizer + RNG + counters) goes to tools/sample/work/ckpt.pt every --ckpt-minutes; --resume continues it.
"""
import argparse, os, sys, time, math, csv, json, collections
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # one thread in total (OpenBLAS would otherwise run its own worker thread)
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_flush_denormal(True)  # decayed WKV states underflow into denormals (very slow on CPU) otherwise
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import WORK, MS, token_ids
from rwkv7 import RWKV7

ap = argparse.ArgumentParser()
ap.add_argument("--n-embd", type=int, default=192)
ap.add_argument("--n-layer", type=int, default=4)
ap.add_argument("--head-size", type=int, default=32)
ap.add_argument("--lora", type=str, default="32,32,16,32", help="w,a,v,g LoRA dims")
ap.add_argument("--vocab-size", type=int, default=8192)
ap.add_argument("--batch", type=int, default=4)
ap.add_argument("--ctx", type=int, default=128)
ap.add_argument("--lr", type=float, default=1.5e-3)
ap.add_argument("--lr-final", type=float, default=1e-4)
ap.add_argument("--warmup", type=int, default=200)
ap.add_argument("--total-steps", type=int, default=10000)
ap.add_argument("--weight-decay", type=float, default=0.1)
ap.add_argument("--max-minutes", type=float, default=90.0)
ap.add_argument("--eval-every", type=int, default=300)
ap.add_argument("--eval-tokens", type=int, default=16384)
ap.add_argument("--patience", type=int, default=6)
ap.add_argument("--ckpt-minutes", type=float, default=4.0)
ap.add_argument("--name", type=str, default="rwkv7-kjv-5m")
ap.add_argument("--seed", type=int, default=20261127)
ap.add_argument("--resume", action="store_true")
ap.add_argument("--bench", type=int, default=0, help="only time this many steps and exit")
args = ap.parse_args()

CKPT = os.path.join(WORK, "ckpt.pt")
TRAIN_DIR = os.path.join(MS, "training")
CURVE = os.path.join(TRAIN_DIR, "curve.csv")
MODEL_OUT = os.path.join(MS, args.name + ".pth")
os.makedirs(TRAIN_DIR, exist_ok=True)

torch.manual_seed(args.seed)
np.random.seed(args.seed)
train = torch.from_numpy(token_ids("train").astype(np.int64))
held = torch.from_numpy(token_ids("heldout").astype(np.int64))
EV_T = 256
n_ev = min(args.eval_tokens, len(held) - 1) // EV_T
ev_x = held[: n_ev * EV_T].view(n_ev, EV_T)
ev_y = held[1: n_ev * EV_T + 1].view(n_ev, EV_T)

model = RWKV7(args.vocab_size, args.n_embd, args.n_layer, args.head_size, dims=[int(x) for x in args.lora.split(",")])
nparams = sum(p.numel() for p in model.parameters())
decay, no_decay = [], []
for n, p in model.named_parameters():
    (decay if (p.dim() >= 2 and n.endswith(".weight")) else no_decay).append(p)
opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                         {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.99), eps=1e-8)
gen = torch.Generator().manual_seed(args.seed)
state = dict(step=0, tokens=0, elapsed=0.0, best=float("inf"), bad=0, done=False)
if args.resume and os.path.exists(CKPT):
    ck = torch.load(CKPT)
    model.load_state_dict(ck["model"])
    opt.load_state_dict(ck["opt"])
    gen.set_state(ck["gen"])
    state = ck["state"]
    print("resumed at step", state["step"], flush=True)
elif not args.bench:
    with open(CURVE, "w") as f:
        f.write("step,tokens,train_loss,heldout_loss,elapsed_s,lr\n")
print("params %d  cfg %s" % (nparams, json.dumps(model.cfg)), flush=True)


def lr_at(step, elapsed):
    """Warmup, then cosine decay; progress is the larger of step progress and time-budget progress, so the
    schedule is fully annealed when either --total-steps or --max-minutes is reached."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    p = (step - args.warmup) / max(1, args.total_steps - args.warmup)
    p = min(1.0, max(p, elapsed / (args.max_minutes * 60)))
    return args.lr_final + 0.5 * (args.lr - args.lr_final) * (1 + math.cos(math.pi * p))


def heldout_loss():
    model.eval()
    tot, n = 0.0, 0
    with torch.no_grad():
        for i in range(0, n_ev, 16):
            lo = model(ev_x[i:i + 16])
            tot += F.cross_entropy(lo.reshape(-1, lo.shape[-1]), ev_y[i:i + 16].reshape(-1), reduction="sum").item()
            n += ev_y[i:i + 16].numel()
    model.train()
    return tot / n


def save_checkpoint():
    tmp = CKPT + ".tmp"
    torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), gen=gen.get_state(), state=state,
                    args=vars(args)), tmp)
    os.replace(tmp, CKPT)


def save_model():
    sd = collections.OrderedDict((k, v.detach().float().contiguous().clone()) for k, v in model.state_dict().items())
    tmp = MODEL_OUT + ".tmp"
    torch.save(sd, tmp)
    os.replace(tmp, MODEL_OUT)


def plot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        rows = list(csv.DictReader(open(CURVE)))
        if not rows:
            return
        tok = [int(r["tokens"]) / 1e6 for r in rows]
        plt.figure(figsize=(7, 4.5))
        plt.plot(tok, [float(r["train_loss"]) for r in rows], label="train (mean since last eval)")
        plt.plot(tok, [float(r["heldout_loss"]) for r in rows], label="held-out")
        plt.xlabel("training tokens (millions)")
        plt.ylabel("cross-entropy (nats/token)")
        plt.title("RWKV-7 sample model on KJV (%d params)" % nparams)
        plt.grid(alpha=0.3)
        plt.legend()
        plt.tight_layout()
        plt.savefig(os.path.join(TRAIN_DIR, "curve.png"), dpi=110)
        plt.close()
    except Exception as e:
        print("plot failed", e)


B, T = args.batch, args.ctx
t_start = time.time() - state["elapsed"]
last_ck = time.time()
run_loss, run_n = 0.0, 0
t_bench = None
while not state["done"]:
    starts = torch.randint(0, len(train) - T - 1, (B,), generator=gen)
    x = torch.stack([train[s:s + T] for s in starts.tolist()])
    y = torch.stack([train[s + 1:s + T + 1] for s in starts.tolist()])
    lr = lr_at(state["step"], time.time() - t_start)
    for gidx, g in enumerate(opt.param_groups):
        g["lr"] = lr
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    state["step"] += 1
    state["tokens"] += B * T
    run_loss += loss.item()
    run_n += 1
    if args.bench:
        if state["step"] == 3:
            t_bench = time.time()
        if state["step"] == args.bench + 3:
            dt = time.time() - t_bench
            print("bench: %.1f tokens/s (%.3f s/step), loss %.3f" % (args.bench * B * T / dt, dt / args.bench, loss.item()))
            t0 = time.time(); hl = heldout_loss(); print("heldout eval %.1f s (%d tokens)" % (time.time() - t0, n_ev * EV_T))
            sys.exit(0)
        continue
    state["elapsed"] = time.time() - t_start
    out_of_time = state["elapsed"] > args.max_minutes * 60
    if state["step"] % args.eval_every == 0 or state["step"] >= args.total_steps or out_of_time:
        hl = heldout_loss()
        tl = run_loss / max(1, run_n)
        run_loss, run_n = 0.0, 0
        with open(CURVE, "a") as f:
            f.write("%d,%d,%.5f,%.5f,%.1f,%.6g\n" % (state["step"], state["tokens"], tl, hl, state["elapsed"], lr))
        improved = hl < state["best"] - 1e-4
        if improved:
            state["best"] = hl
            state["bad"] = 0
            save_model()
        else:
            state["bad"] += 1
        print("step %d tokens %d train %.4f heldout %.4f %s lr %.2e elapsed %.1f min (%.0f tok/s)" % (
            state["step"], state["tokens"], tl, hl, "*" if improved else "", lr, state["elapsed"] / 60,
            state["tokens"] / max(1e-9, state["elapsed"])), flush=True)
        plot()
        if state["bad"] >= args.patience:
            print("early stop: no held-out improvement in %d evaluations" % args.patience)
            state["done"] = True
        if state["step"] >= args.total_steps:
            print("finished total steps")
            state["done"] = True
        if out_of_time:
            print("time budget used up")
            state["done"] = True
        save_checkpoint()
        last_ck = time.time()
    elif time.time() - last_ck > args.ckpt_minutes * 60:
        save_checkpoint()
        last_ck = time.time()
print("done: step %d tokens %d best heldout %.4f elapsed %.1f min" % (
    state["step"], state["tokens"], state["best"], state["elapsed"] / 60), flush=True)
