"""Greedy-longest-match tokenizer over an RWKV-World-format vocabulary file (ids 1..256 = single bytes, id 0 reserved).

This is exactly what the Java engine implements: at each byte position take the longest vocabulary entry that matches
the UTF-8 bytes there (a single byte always matches, so every text is encodable).
"""
import ast


def token_literal(b):
    """RWKV World vocab literal: repr() of the str if valid UTF-8, else a bytes literal."""
    try:
        return repr(b.decode("utf-8"))
    except UnicodeDecodeError:
        return repr(b)


def load_vocab(path):
    """Return list idx2bytes with idx2bytes[0] = None (reserved)."""
    idx2bytes = [None]
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            i = int(line[:line.index(" ")])
            lit = line[line.index(" "):line.rindex(" ")].strip()
            n = int(line[line.rindex(" "):])
            x = ast.literal_eval(lit)
            b = x.encode("utf-8") if isinstance(x, str) else x
            assert len(b) == n and i == len(idx2bytes), (i, lit, n)
            idx2bytes.append(b)
    return idx2bytes


def write_vocab(path, idx2bytes):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for i in range(1, len(idx2bytes)):
            b = idx2bytes[i]
            f.write("%d %s %d\n" % (i, token_literal(b), len(b)))


class Tokenizer:
    def __init__(self, idx2bytes):
        self.idx2bytes = idx2bytes
        self.trie = {}
        for i in range(1, len(idx2bytes)):
            node = self.trie
            for c in idx2bytes[i]:
                node = node.setdefault(c, [None, {}])
                last = node
                node = node[1]
            last[0] = i  # id of the token ending at this node
        # node layout: trie[c] = [id_or_None, children]

    def encode_bytes(self, data):
        out = []
        trie = self.trie
        n = len(data)
        pos = 0
        while pos < n:
            node = trie
            best = None
            best_end = pos
            p = pos
            while p < n:
                e = node.get(data[p])
                if e is None:
                    break
                p += 1
                if e[0] is not None:
                    best = e[0]
                    best_end = p
                node = e[1]
            out.append(best)
            pos = best_end
        return out

    def encode(self, text):
        return self.encode_bytes(text.encode("utf-8"))

    def decode_bytes(self, ids):
        return b"".join(self.idx2bytes[i] for i in ids if i != 0)

    def decode(self, ids):
        return self.decode_bytes(ids).decode("utf-8", errors="replace")
