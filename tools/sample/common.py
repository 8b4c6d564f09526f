import os, sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(HERE, "work")
MS = os.path.join(ROOT, "models-sample")
DATA = os.path.join(MS, "data")
VOCAB = os.path.join(MS, "vocab.txt")
sys.path.insert(0, HERE)
from tokenizer import load_vocab, Tokenizer


def tokenizer():
    return Tokenizer(load_vocab(VOCAB))


def token_ids(name):
    """Token ids (int32) of train / heldout / calibration text, cached under work/ (keyed by file sizes+mtimes)."""
    src = os.path.join(WORK, "train.txt") if name == "train" else os.path.join(DATA, name + ".txt")
    cache = os.path.join(WORK, "%s_ids.npy" % name)
    stamp = "%d-%d-%d" % (os.path.getsize(src), os.path.getsize(VOCAB), int(os.path.getmtime(VOCAB)))
    if os.path.exists(cache) and os.path.exists(cache + ".stamp") and open(cache + ".stamp").read() == stamp:
        return np.load(cache)
    ids = np.array(tokenizer().encode_bytes(open(src, "rb").read()), dtype=np.int32)
    os.makedirs(WORK, exist_ok=True)
    np.save(cache, ids)
    open(cache + ".stamp", "w").write(stamp)
    return ids
