"""Byte-level BPE in llama.cpp's "gpt2" format, compatible with its "default" pre-tokenizer.

Ids 0..255 are the single bytes in byte order (GPT-2 byte-to-unicode strings), then one token per
merge, then the ChatML specials <|endoftext|> <|im_start|> <|im_end|> (same layout as
test/fixtures/gguf/byte-bpe-vocab.ts). The pre-tokenizer is an ASCII version of llama.cpp's
default regexes (punctuation runs first, then GPT-2's split); the corpus is ASCII only.
"""
import json
import re
import string
from collections import Counter

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
_PUNCT = "".join(c for c in string.punctuation if c != "`")  # \p{P} plus $+<=>^~| on ASCII
PUNCT_RUN = re.compile("[" + re.escape(_PUNCT) + "]+")
GPT2_SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+")
# llama.cpp's default pre-tokenizer then splits digit runs off ("\p{N}+": " 7" -> " ", "7") and cuts
# them into groups of three from the left ("[0-9][0-9][0-9]": "12345" -> "123", "45").
DIGITS = re.compile(r"[0-9]+")
DIGITS3 = re.compile(r"[0-9][0-9][0-9]")
SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(s) for s in SPECIALS) + ")")


def byte_to_unicode():
    def printable(b):
        return 33 <= b <= 126 or 161 <= b <= 172 or 174 <= b <= 255
    table, nxt = [], 256
    for b in range(256):
        if printable(b):
            table.append(chr(b))
        else:
            table.append(chr(nxt))
            nxt += 1
    return table


BYTE_CHARS = byte_to_unicode()


def pre_tokenize(text):
    chunks, last = [], 0
    for m in PUNCT_RUN.finditer(text):
        if m.start() > last:
            chunks.append(text[last:m.start()])
        chunks.append(m.group(0))
        last = m.end()
    if last < len(text):
        chunks.append(text[last:])
    out = []
    for c in chunks:
        out.extend(m.group(0) for m in GPT2_SPLIT.finditer(c))
    for rx in (DIGITS, DIGITS3):
        out = [p for piece in out for p in _split_keep(rx, piece)]
    return out


def _split_keep(rx, text):
    """llama.cpp's regex split: matches and the text between them all become pieces."""
    parts, last = [], 0
    for m in rx.finditer(text):
        if m.start() > last:
            parts.append(text[last:m.start()])
        parts.append(m.group(0))
        last = m.end()
    if last < len(text):
        parts.append(text[last:])
    return parts


def word_symbols(word):
    return [BYTE_CHARS[b] for b in word.encode("utf-8")]


def learn_merges(texts, n_merges):
    counts = Counter()
    for t in texts:
        for part in SPECIAL_SPLIT.split(t):
            if part in SPECIALS or not part:
                continue
            counts.update(pre_tokenize(part))
    words = [[word_symbols(w), c] for w, c in counts.items()]
    merges = []
    while len(merges) < n_merges:
        pairs = Counter()
        for sym, c in words:
            for i in range(len(sym) - 1):
                pairs[(sym[i], sym[i + 1])] += c
        if not pairs:
            break
        # Most frequent; ties go to the smaller "a b" string (as the TS fixture does).
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0][0] + " " + kv[0][1]))[0]
        merges.append(best)
        a, b = best
        for w in words:
            sym, nxt, i = w[0], [], 0
            while i < len(sym):
                if i + 1 < len(sym) and sym[i] == a and sym[i + 1] == b:
                    nxt.append(a + b)
                    i += 2
                else:
                    nxt.append(sym[i])
                    i += 1
            w[0] = nxt
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.tokens = list(BYTE_CHARS)
        seen = set(self.tokens)
        for a, b in self.merges:
            if a + b not in seen:
                seen.add(a + b)
                self.tokens.append(a + b)
        self.n_normal = len(self.tokens)
        self.tokens += SPECIALS
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        self.rank = {m: i for i, m in enumerate(self.merges)}
        self.endoftext, self.im_start, self.im_end = (self.ids[s] for s in SPECIALS)
        self._cache = {}
        self._byte_of = {c: b for b, c in enumerate(BYTE_CHARS)}

    def _bpe(self, word):
        if word in self._cache:
            return self._cache[word]
        sym = word_symbols(word)
        while len(sym) > 1:
            best, best_rank = None, None
            for i in range(len(sym) - 1):
                r = self.rank.get((sym[i], sym[i + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = i, r
            if best is None:
                break
            sym = sym[:best] + [sym[best] + sym[best + 1]] + sym[best + 2:]
        ids = [self.ids[s] for s in sym]
        self._cache[word] = ids
        return ids

    def encode(self, text, special=True):
        ids = []
        parts = SPECIAL_SPLIT.split(text) if special else [text]
        for part in parts:
            if not part:
                continue
            if special and part in SPECIALS:
                ids.append(self.ids[part])
                continue
            for w in pre_tokenize(part):
                ids.extend(self._bpe(w))
        return ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            t = self.tokens[i]
            if i >= self.n_normal:
                out += t.encode()
            else:
                out += bytes(self._byte_of[c] for c in t)
        return out.decode("utf-8", errors="replace")

    def save(self, path):
        with open(path, "w") as f:
            json.dump({"merges": [" ".join(m) for m in self.merges]}, f)

    @classmethod
    def load(cls, path):
        with open(path) as f:
            return cls([m.split(" ") for m in json.load(f)["merges"]])
