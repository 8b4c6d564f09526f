#!/usr/bin/python3
"""Write models-sample/fixtures/forward-check.json: reference outputs for the Java engine.

The model runs in RNN form (rwkv7.rnn_step, one token at a time from the zero state) in FLOAT64 arithmetic, with the
float32 weights of the .pth file converted exactly to float64. For each prompt: the expected token ids (greedy longest
match over vocab.txt), the logits after the last token (all V values, id 0 included), and the logits after a couple of
earlier tokens ("logits_rows", keyed by the 0-based position of the token just fed). Logits are rounded to 4 decimals
to keep the file small (well below float32 engine error tolerances of ~1e-3).
"""
import os, sys, json, glob, hashlib
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"
import torch

torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import MS, VOCAB, tokenizer
from rwkv7 import rnn_init_state, rnn_step

PROMPTS = [
    "In the beginning God created the heaven and the earth.",
    "And the LORD said unto Moses, Stretch out thine hand",
    "\nBlessed are the poor in spirit: for theirs is the kingdom of heaven.\n",
    "The 1611 translation \u2014 na\u00efve caf\u00e9 test: Zaphnathpaaneah!",
]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else sorted(glob.glob(os.path.join(MS, "rwkv7-*.pth")))[0]
    sd = {k: v.double() for k, v in torch.load(path, map_location="cpu").items()}
    tok = tokenizer()
    out = []
    for p in PROMPTS:
        ids = tok.encode(p)
        assert tok.decode_bytes(ids) == p.encode("utf-8")
        st = rnn_init_state(sd, torch.float64)
        rows = {}
        keep = {0, len(ids) // 2}
        with torch.no_grad():
            for i, t in enumerate(ids):
                logits = rnn_step(sd, t, st)
                if i in keep and i != len(ids) - 1:
                    rows[str(i)] = [round(x, 4) for x in logits.tolist()]
        top = torch.topk(logits, 5).indices.tolist()
        out.append({"prompt": p, "tokens": ids, "logits_last": [round(x, 4) for x in logits.tolist()],
                    "logits_rows": rows, "top5_last": top})
        print(repr(p), len(ids), "tokens; top5 after last:", [tok.idx2bytes[i] for i in top])
    os.makedirs(os.path.join(MS, "fixtures"), exist_ok=True)
    dst = os.path.join(MS, "fixtures", "forward-check.json")
    with open(dst, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes) for %s sha256 %s" % (dst, os.path.getsize(dst), os.path.basename(path),
                                                     hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]))


if __name__ == "__main__":
    main()
