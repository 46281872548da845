"""Greedy decoding with the PyTorch checkpoint (reference for the GGUF engines).

Usage: python3 evaluate.py [--heldout] [prompts...]
"""
import json
import os
import re
import sys

import torch

from model import Config, Llama
from tokenizer import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))


def load():
    ck = torch.load(os.environ.get("CKPT", os.path.join(HERE, "out", "ckpt.pt")), map_location="cpu")
    m = Llama(Config(**ck["config"]))
    m.load_state_dict(ck["model"])
    m.eval()
    return m, Tokenizer.load(os.path.join(HERE, "out", "tokenizer.json"))


@torch.no_grad()
def answer(m, tok, q, max_tokens=32):
    ids = tok.encode(f"<|im_start|>user\n{q}<|im_end|>\n<|im_start|>assistant\n")
    out = []
    for _ in range(max_tokens):
        nxt = int(m(torch.tensor([ids]))[0, -1].argmax())
        if nxt in (tok.im_end, tok.endoftext):
            break
        ids.append(nxt)
        out.append(nxt)
    return tok.decode(out)


def main():
    torch.set_num_threads(1)
    m, tok = load()
    args = [a for a in sys.argv[1:] if a != "--heldout"]
    for q in args or ["Say this is a test!", "What is 7 plus 5?", "What is the capital of Japan?"]:
        print(f"{q} -> {answer(m, tok, q)!r}")
    if "--heldout" in sys.argv:
        ok = 0
        items = [json.loads(l) for l in open(os.path.join(HERE, "heldout.jsonl"))]
        for it in items:
            a = answer(m, tok, it["question"])
            nums = re.findall(r"[0-9]+", a)
            right = (nums[-1:] == [it["expect"]]) if it["type"] == "arithmetic" else it["expect"] in a
            ok += right
            if not right:
                print(f"MISS {it['question']} -> {a!r} (want {it['expect']})")
        print(f"held-out score (PyTorch, greedy): {ok}/{len(items)}")


if __name__ == "__main__":
    main()
