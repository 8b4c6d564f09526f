#!/usr/bin/python3
"""Split the King James Bible (Debian package bible-kjv, public domain) into train / calibration / held-out parts.

The text comes from the `bible` command. Its format: a chapter header line "Book N" after a blank line, then verses
"  <num> text" with continuation lines wrapped at ~80 columns. We drop the headers and verse numbers and write one verse
per line (wrapped lines re-joined with a space), chapters separated by one blank line.

Split is by whole BOOK (never random lines), fixed lists below; the output is byte-for-byte deterministic.
Outputs:
  tools/sample/work/train.txt            (not shipped, rebuilt from `bible`)
  models-sample/data/calibration.txt
  models-sample/data/heldout.txt
"""
import os, re, subprocess, sys, hashlib, json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "tools", "sample", "work")
DATA = os.path.join(ROOT, "models-sample", "data")

# Held-out books: varied genres (narrative, wisdom, prophecy, gospel-free NT letters), no close parallel in train.
HELDOUT = ["Judges", "Ruth", "Esther", "Ecclesiastes", "Hosea", "Jonah", "Acts", "James"]
# Calibration books (used only by compression tools for activation statistics; not in train, not in held-out).
CALIBRATION = ["Proverbs", "Romans"]

HEADER = re.compile(r"^([1-3] )?[A-Z][A-Za-z ]* [0-9]+$")
VERSE = re.compile(r"^ +([0-9]+) (.*)$")


def read_bible():
    out = subprocess.run(["bible", "Gen1:1-Rev22:21"], check=True, stdout=subprocess.PIPE,
                         env=dict(os.environ, LC_ALL="C.UTF-8")).stdout.decode("utf-8")
    return out


def parse(raw):
    """Return list of (book, chapter, [verse strings]) in canonical order."""
    chapters = []
    prev_blank = True
    cur = None
    for line in raw.split("\n"):
        line = line.rstrip()
        if not line:
            prev_blank = True
            continue
        if prev_blank and HEADER.match(line) and not line.startswith(" "):
            book, ch = line.rsplit(" ", 1)
            cur = (book, int(ch), [])
            chapters.append(cur)
        else:
            m = VERSE.match(line)
            if m:
                cur[2].append(m.group(2).strip())
            else:  # continuation of the previous verse
                cur[2][-1] = cur[2][-1] + " " + line.strip()
        prev_blank = False
    return chapters


def render(chapters):
    return "\n\n".join("\n".join(" ".join(v.split()) for v in vs) for _, _, vs in chapters) + "\n"


def main():
    chapters = parse(read_bible())
    books = []
    for b, _, _ in chapters:
        if not books or books[-1] != b:
            books.append(b)
    assert len(books) == 66 and len(chapters) == 1189, (len(books), len(chapters))
    nverses = sum(len(v) for _, _, v in chapters)
    assert nverses == 31102, nverses
    for b in HELDOUT + CALIBRATION:
        assert b in books, b
    parts = {"train": [], "calibration": [], "heldout": []}
    for c in chapters:
        key = "heldout" if c[0] in HELDOUT else "calibration" if c[0] in CALIBRATION else "train"
        parts[key].append(c)
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(DATA, exist_ok=True)
    paths = {"train": os.path.join(WORK, "train.txt"),
             "calibration": os.path.join(DATA, "calibration.txt"),
             "heldout": os.path.join(DATA, "heldout.txt")}
    for k, p in paths.items():
        data = render(parts[k]).encode("utf-8")
        with open(p, "wb") as f:
            f.write(data)
        print("%-12s %3d chapters %6d verses %8d bytes sha256 %s  %s" % (
            k, len(parts[k]), sum(len(v) for _, _, v in parts[k]), len(data),
            hashlib.sha256(data).hexdigest()[:16], os.path.relpath(p, ROOT)))


if __name__ == "__main__":
    main()
