#!/usr/bin/python3
"""Print markdown tables of the measured numbers (metrics.json, training/curve.csv) for models-sample/README.md."""
import os, sys, json, csv
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import MS

m = json.load(open(os.path.join(MS, "metrics.json")))
rows = list(csv.DictReader(open(os.path.join(MS, "training", "curve.csv"))))
P = m["parameters"]
print("| component | parameters | share |\n|---|---:|---:|")
for k, v in m["parameter_breakdown"].items():
    print("| %s | %s | %.1f%% |" % (k, format(v, ","), 100.0 * v / P))
print("| **total** | **%s** | 100%% |\n" % format(P, ","))
h, w = m["heldout_chapters"], m["heldout_windows128"]
print("| held-out text (%d tokens, %d bytes scored) | perplexity (per token) | bits per byte |\n|---|---:|---:|" % (
    h["scored_tokens"], h["scored_bytes"]))
print("| model, each chapter one sequence from the zero state | %.2f | %.4f |" % (h["ppl"], h["bpb"]))
print("| model, independent 128-token windows | %.2f | %.4f |" % (w["ppl"], w["bpb"]))
print("| unigram baseline (add-one, training counts) | %.2f | %.4f |\n" % (h["unigram_ppl"], h["unigram_bpb"]))
lw, ch = m["lastword"], m["choice"]
print("| task | model | unigram baseline | chance |\n|---|---:|---:|---:|")
print("| last word (%d items): accuracy | %.1f%% | %.1f%% | - |" % (lw["items"], 100 * lw["acc"], 100 * lw["unigram_acc"]))
print("| last word: word perplexity | %.1f | %.1f | - |" % (lw["word_ppl"], lw["unigram_word_ppl"]))
print("| multiple choice (%d items): acc | %.1f%% | %.1f%% | 25%% |" % (ch["items"], 100 * ch["acc"], 100 * ch["unigram_acc"]))
print("| multiple choice: acc_norm | %.1f%% | %.1f%% | 25%% |\n" % (100 * ch["acc_norm"], 100 * ch["unigram_acc_norm"]))
print("| layer | " + " | ".join(str(i) for i in range(len(m["ffn_sparsity"]))) + " |")
print("|---|" + "---:|" * len(m["ffn_sparsity"]))
print("| FFN zeros after relu^2 (F=%d) | " % m["ffn_width"] + " | ".join("%.1f%%" % (100 * s) for s in m["ffn_sparsity"]) + " |\n")
print("RNN form (float64) vs parallel form (float32), max |logit diff| over 64 tokens: %.2e\n" % m["rnn_vs_parallel_max_abs_logit_diff"])
last = rows[-1]
best = min(rows, key=lambda r: float(r["heldout_loss"]))
print("training: %s steps, %s tokens, %.1f min, %.0f tokens/s average; best held-out loss %.4f at step %s; last %.4f" % (
    last["step"], last["tokens"], float(last["elapsed_s"]) / 60, int(last["tokens"]) / float(last["elapsed_s"]),
    float(best["heldout_loss"]), best["step"], float(last["heldout_loss"])))
