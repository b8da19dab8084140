#!/usr/bin/python3
"""Differential test: winnow's NltkEnglishTokenizer against NLTK itself.

For every input text, compares
  s: PunktSentenceTokenizer().tokenize(text)            (untrained Punkt)
  w: strip_strings of NLTKWordTokenizer().tokenize over those sentences
     (datatrove v0.10.0 word_tokenize without the English Punkt model)
  l: NLTKWordTokenizer().tokenize(text)                 (preserve_line=True)
with the output of the C++ tool `tokenize_dump`.

Inputs (any combination):
  --jsonl FILE     JSON lines (optionally .gz) with a "text" field, e.g.
                   /work/shared/data/news/reuters21578.jsonl.gz
  --fuzz N         N random strings over an alphabet of tricky characters
  --texts FILE     plain file, one text per line (\\n escapes allowed)

Run with Debian's Python, which has NLTK 3.8:
  /usr/bin/python3 src/tokenize/nltk_diff.py \\
      --tool build-tokenize/bin/tokenize_dump \\
      --jsonl /work/shared/data/news/reuters21578.jsonl.gz
Exits 0 when every text agrees, 1 otherwise, 77 when NLTK is missing.
"""

import argparse
import gzip
import json
import random
import subprocess
import sys


def strip_strings(els):
    return [el.strip() for el in els if len(el.strip()) > 0]


def load_jsonl(path, limit):
    opener = gzip.open if path.endswith(".gz") else open
    texts = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if limit and len(texts) >= limit:
                break
            texts.append(json.loads(line)["text"])
    return texts


FUZZ_PIECES = [
    "a", "b", "I", "x", "Mr", "U", "S", "5", "93", "1,000", "can", "not",
    "cannot", "gonna", "wanna", "gimme", "lemme", "gotta", "more'n", "d'ye",
    "'tis", "'twas", "n't", "'s", "'ll", "'re", "'ve", "'m", "'d", "it", "The",
    "the", "don", "t", "s", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0",
    "\u3000", ".", ".", ".", "..", "...", ". . .", ",", ",", ":", ";", "?",
    "!", "?!", "'", "'", "''", '"', '"', "`", "``", "(", ")", "[", "]", "{",
    "}", "<", ">", "-", "--", "---", "*", "@", "#", "$", "%", "&", "/",
    "\u00ab", "\u00bb", "\u201c", "\u201d", "\u2018", "\u2019", "\u201e",
    "\u2026", "\u00e9", "\u00c9", "\u0130", "\u0131", "\u017f", "\u0663",
    "\u00b2", "\u01c5", "_", "http://x.com/a?b=c.d", "e.g.", "J.", "5.",
    "\u2013", "\u2014",
]


FUZZ_CHARS = list("aAtTsSnNdDmMliIwWgeocyr59_ .,:;?!'\"`()[]{}<>-*@#$%&\n\t") + [
    "\u00a0", "\u2009", "\u00ab", "\u00bb", "\u201c", "\u201d", "\u2018",
    "\u2019", "\u201e", "\u00e9", "\u0130", "\u0131", "\u017f", "\u0663",
    "\u00b2", "\u0301", "\u01c5", "\x1c", "\x85",
]


def fuzz_texts(n, seed):
    """Half the texts join word-sized pieces, half single characters."""
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        if i % 2 == 0:
            k = rng.randint(1, 14)
            texts.append("".join(rng.choice(FUZZ_PIECES) for _ in range(k)))
        else:
            k = rng.randint(1, 24)
            texts.append("".join(rng.choice(FUZZ_CHARS) for _ in range(k)))
    return texts


def reference(texts):
    from nltk.tokenize.destructive import NLTKWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    punkt = PunktSentenceTokenizer()
    words = NLTKWordTokenizer()
    out = []
    for text in texts:
        sents = punkt.tokenize(text)
        w = strip_strings([t for s in sents for t in words.tokenize(s)])
        out.append({"s": sents, "w": w, "l": words.tokenize(text)})
    return out


def run_tool(tool, texts):
    payload = "".join(json.dumps({"text": t}) + "\n" for t in texts)
    res = subprocess.run([tool], input=payload.encode("utf-8"),
                         stdout=subprocess.PIPE, check=True)
    return [json.loads(line) for line in res.stdout.decode("utf-8").split("\n") if line]


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--jsonl", action="append", default=[])
    ap.add_argument("--texts", action="append", default=[])
    ap.add_argument("--fuzz", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", type=int, default=10,
                    help="differences to print (default 10)")
    args = ap.parse_args()
    try:
        import nltk  # noqa: F401
    except ImportError:
        print("nltk not installed; skipping")
        return 77

    texts = []
    for path in args.jsonl:
        texts += load_jsonl(path, args.limit)
    for path in args.texts:
        with open(path, encoding="utf-8") as f:
            texts += [line.rstrip("\n").encode().decode("unicode_escape")
                      for line in f if line.strip()]
    if args.fuzz:
        texts += fuzz_texts(args.fuzz, args.seed)

    ref = reference(texts)
    got = run_tool(args.tool, texts)
    assert len(got) == len(ref), (len(got), len(ref))

    bad = {"s": 0, "w": 0, "l": 0}
    any_bad = 0
    shown = 0
    for i, (r, g) in enumerate(zip(ref, got)):
        diff_keys = [k for k in ("s", "w", "l") if r[k] != g[k]]
        for k in diff_keys:
            bad[k] += 1
        if diff_keys:
            any_bad += 1
            if shown < args.show:
                shown += 1
                k = diff_keys[0]
                j = first_difference(r[k], g[k])
                print(f"--- text {i} differs in {diff_keys}: {texts[i][:300]!r}")
                print(f"    {k}[{j}:] nltk:   {r[k][max(0, j - 2):j + 4]!r}")
                print(f"    {k}[{j}:] winnow: {g[k][max(0, j - 2):j + 4]!r}")
    n = len(texts)
    for k, name in (("s", "sentences"), ("w", "words"), ("l", "line words")):
        print(f"{name:11s}: {n - bad[k]}/{n} identical "
              f"({100.0 * (n - bad[k]) / max(n, 1):.3f}%)")
    print(f"all        : {n - any_bad}/{n} identical "
          f"({100.0 * (n - any_bad) / max(n, 1):.3f}%)")
    return 0 if any_bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
