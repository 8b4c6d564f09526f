#!/usr/bin/python3
"""Build a deterministic 8192-entry vocabulary (id 0 reserved + 8191 tokens) from the TRAINING text only.

Procedure: byte-level BPE over pre-tokenized words (regex chunks: optional leading space + letters, optional leading
space + other non-space symbols, runs of whitespace), so tokens never cross a word boundary and words carry their
leading space (' LORD'). Pair ties are broken by the pair's byte strings (lexicographic), so the result does not
depend on hash order. Merged strings that already exist are not added twice. The vocabulary is used with GREEDY
LONGEST MATCH (tokenizer.py), not with BPE merge replay; the script reports the greedy token count on train.
Ids 1..256 are the single bytes (id = byte + 1), as in the RWKV World vocab. Output: models-sample/vocab.txt
"""
import os, re, sys, heapq, collections, hashlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tokenizer import write_vocab, load_vocab, Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAIN = os.path.join(ROOT, "tools", "sample", "work", "train.txt")
OUT = os.path.join(ROOT, "models-sample", "vocab.txt")
VOCAB_SIZE = 8192  # model rows, including reserved id 0
MAX_CANDIDATES = 16000  # BPE candidate list length before greedy-usage selection
SELECT_ROUNDS = 6
PRETOKEN = re.compile(rb" ?[A-Za-z]+| ?[^\sA-Za-z]+|\s+")


def main():
    data = open(TRAIN, "rb").read()
    counts = collections.Counter(PRETOKEN.findall(data))
    assert sum(len(w) * c for w, c in counts.items()) == len(data)
    idx2bytes = [None] + [bytes([b]) for b in range(256)]
    bytes2idx = {b: i for i, b in enumerate(idx2bytes) if b is not None}
    words = []  # [list of ids, count]
    for w in sorted(counts):
        words.append([[b + 1 for b in w], counts[w]])
    pair_count = collections.defaultdict(int)
    pair_words = collections.defaultdict(set)
    for wi, (ids, c) in enumerate(words):
        for p in zip(ids, ids[1:]):
            pair_count[p] += c
            pair_words[p].add(wi)

    def key(p):
        return (-pair_count[p], idx2bytes[p[0]] + idx2bytes[p[1]], idx2bytes[p[0]])

    heap = [(key(p), p) for p in pair_count]
    heapq.heapify(heap)
    while len(idx2bytes) < MAX_CANDIDATES and heap:
        k, p = heapq.heappop(heap)
        if pair_count.get(p, 0) <= 0 or k != key(p):
            continue  # stale entry
        if pair_count[p] < 2:
            break
        nb = idx2bytes[p[0]] + idx2bytes[p[1]]
        if nb in bytes2idx:
            new = bytes2idx[nb]
        else:
            new = len(idx2bytes)
            idx2bytes.append(nb)
            bytes2idx[nb] = new
        touched = set()
        for wi in sorted(pair_words[p]):
            ids, c = words[wi]
            for q in zip(ids, ids[1:]):
                pair_count[q] -= c
                touched.add(q)
            out = []
            i = 0
            while i < len(ids):
                if i + 1 < len(ids) and ids[i] == p[0] and ids[i + 1] == p[1]:
                    out.append(new)
                    i += 2
                else:
                    out.append(ids[i])
                    i += 1
            words[wi][0] = out
            for q in zip(out, out[1:]):
                pair_count[q] += c
                pair_words[q].add(wi)
                touched.add(q)
        del pair_count[p]
        del pair_words[p]
        for q in sorted(touched):
            if q in pair_count:
                if pair_count[q] <= 0:
                    del pair_count[q]
                else:
                    heapq.heappush(heap, (key(q), q))
    # Selection under greedy longest match: BPE intermediates (e.g. ' ne' inside ' necessary') are often never
    # produced by greedy matching. Keep the first VOCAB_SIZE-1 candidates, then repeatedly drop the multi-byte entries
    # that greedy matching on train never uses and refill with the next candidates in BPE order.
    cands = idx2bytes[257:]
    chosen = list(range(VOCAB_SIZE - 257))  # indices into cands
    nxt = len(chosen)
    for rnd in range(SELECT_ROUNDS):
        tok = Tokenizer(idx2bytes[:257] + [cands[c] for c in chosen])
        used = collections.Counter(tok.encode_bytes(data))
        unused = [c for j, c in enumerate(chosen) if used[257 + j] == 0]
        print("round %d: %d unused entries" % (rnd, len(unused)))
        if not unused or nxt >= len(cands):
            break
        drop = set(unused)
        chosen = [c for c in chosen if c not in drop]
        while len(chosen) < VOCAB_SIZE - 257 and nxt < len(cands):
            chosen.append(nxt)
            nxt += 1
        chosen.sort()
    idx2bytes = idx2bytes[:257] + [cands[c] for c in chosen]
    write_vocab(OUT, idx2bytes)
    # check: the written file loads back identically and report greedy-longest-match statistics on train
    assert load_vocab(OUT) == idx2bytes
    tok = Tokenizer(idx2bytes)
    ids = tok.encode_bytes(data)
    assert tok.decode_bytes(ids) == data
    used = collections.Counter(ids)
    print("vocab entries (file lines) %d, model rows %d; train %d bytes -> %d tokens (%.3f bytes/token); "
          "entries never used by greedy matching on train: %d" % (
              len(idx2bytes) - 1, VOCAB_SIZE, len(data), len(ids), len(data) / len(ids),
              sum(1 for i in range(1, len(idx2bytes)) if used[i] == 0)))
    print("sha256 %s  %s" % (hashlib.sha256(open(OUT, "rb").read()).hexdigest(), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
