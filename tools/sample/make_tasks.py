#!/usr/bin/python3
"""Build the evaluation sets from the HELD-OUT books only (models-sample/data/heldout.txt), deterministically.
No model is used to select anything.

lastword.jsonl  (LAMBADA-style): {"text": passage}. The passage is up to 3 preceding verses of the same chapter plus
  the start of a verse, cut right after a target word. The target is the last word (letters only, length >= 3, not a
  stop word) of the verse that already occurred in the passage (so it is predictable from context); the passage
  never ends in punctuation. Passages are at least 25 words long. Items are thinned evenly to at most MAX_LASTWORD.
choice.jsonl (4-way multiple choice): {"context": ..., "choices": [4 strings], "gold": i}. Context = previous verse
  (if any, same chapter) + the first part of a verse up to a punctuation mark (, ; :); the gold choice is the rest of
  that verse, the distractors are verse remainders of similar length (within 25% in bytes) from OTHER held-out
  chapters. Choices start with a space. Deterministic RNG (random.Random(SEED)).
"""
import os, re, json, random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "models-sample", "data")
SEED = 6
MAX_LASTWORD = 800
MAX_CHOICE = 500
STOP = set("""a an and the of to in that he she it his her him they them their for with unto upon was were is are be
been not but shall will which who whom this these those there then from by as at on or all into out up so when what
have hath had did do doth thy thee thou ye you your my me we our us i also no nor yet let said say saith one""".split())
WORD = re.compile(r"(?<![A-Za-z'])([A-Za-z]+)(?![A-Za-z'])")


def chapters():
    text = open(os.path.join(DATA, "heldout.txt"), encoding="utf-8").read()
    return [c.split("\n") for c in text.strip("\n").split("\n\n")]


def lastword_items(chs):
    items = []
    for ci, verses in enumerate(chs):
        for vi, verse in enumerate(verses):
            prev = verses[max(0, vi - 3):vi]
            matches = list(WORD.finditer(verse))
            for m in reversed(matches):
                w = m.group(1)
                if len(w) < 3 or w.lower() in STOP or m.start() == 0 or verse[m.start() - 1] != " ":
                    continue
                ctx = "\n".join(prev + [verse[:m.start()]])
                if not re.search(r"(?<![A-Za-z'])" + w + r"(?![A-Za-z'])", ctx):
                    continue
                text = "\n".join(prev + [verse[:m.end()]])
                if len(text.split()) < 25:
                    break
                items.append({"text": text})
                break
    if len(items) > MAX_LASTWORD:
        step = len(items) / MAX_LASTWORD
        items = [items[int(i * step)] for i in range(MAX_LASTWORD)]
    return items


def choice_items(chs):
    cands = []  # (chapter index, context, gold)
    for ci, verses in enumerate(chs):
        for vi, verse in enumerate(verses):
            cuts = [m.end() for m in re.finditer(r"[,;:] ", verse)]
            cuts = [c for c in cuts if c >= 20 and len(verse) - c >= 20]
            if not cuts:
                continue
            c = cuts[len(cuts) // 2]  # middle punctuation mark
            head, rest = verse[:c - 1], " " + verse[c:]
            ctx = (verses[vi - 1] + "\n" if vi > 0 else "") + head
            cands.append((ci, ctx, rest))
    rng = random.Random(SEED)
    step = max(1.0, len(cands) / MAX_CHOICE)
    picked = [cands[int(i * step)] for i in range(min(MAX_CHOICE, len(cands)))]
    items = []
    for ci, ctx, gold in picked:
        pool = [r for (cj, _, r) in cands if cj != ci and 0.75 <= len(r) / len(gold) <= 1.25 and r != gold]
        if len(pool) < 3:
            continue
        distract = rng.sample(pool, 3)
        g = rng.randrange(4)
        choices = distract[:g] + [gold] + distract[g:]
        items.append({"context": ctx, "choices": choices, "gold": g})
    return items


def write_jsonl(path, items):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    print("%d items -> %s" % (len(items), os.path.relpath(path, ROOT)))


def main():
    chs = chapters()
    write_jsonl(os.path.join(DATA, "lastword.jsonl"), lastword_items(chs))
    write_jsonl(os.path.join(DATA, "choice.jsonl"), choice_items(chs))


if __name__ == "__main__":
    main()
