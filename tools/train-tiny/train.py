"""Trains the tiny llama on out/train.jsonl. Usage: python3 train.py [--steps N] [--minutes M]

Writes out/tokenizer.json, out/ckpt.pt (every 200 steps and at the end) and prints the loss.
Loss is on assistant replies (+ <|im_end|>) and on whole plain-text samples.
"""
import argparse
import json
import math
import os
import random
import time

import torch
import torch.nn.functional as F

from model import Config, Llama
from tokenizer import Tokenizer, learn_merges

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")


def render(sample):
    """(text pieces, loss flags) in ChatML; the same bytes the GGUF's chat template produces."""
    if sample["kind"] == "text":
        return [(sample["text"] + "<|endoftext|>", True)]
    pieces = []
    if sample.get("system"):
        pieces.append((f"<|im_start|>system\n{sample['system']}<|im_end|>\n", False))
    for q, a in sample["turns"]:
        pieces.append((f"<|im_start|>user\n{q}<|im_end|>\n<|im_start|>assistant\n", False))
        pieces.append((f"{a}<|im_end|>", True))
        pieces.append(("\n", False))
    return pieces


def encode(tok, sample):
    ids, flags = [], []
    for text, train in render(sample):
        t = tok.encode(text)
        ids += t
        flags += [train] * len(t)
    return ids, flags


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--merges", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--minutes", type=float, default=25.0, help="wall-clock budget; the schedule follows whichever of steps/time is further along")
    ap.add_argument("--resume", help="continue from this checkpoint (stage 2), reusing out/tokenizer.json")
    ap.add_argument("--arith-extra", type=int, default=0, help="extra copies of each arithmetic sample per epoch")
    ap.add_argument("--tag", default="", help="suffix for the checkpoint name")
    ap.add_argument("--bench", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    samples = [json.loads(l) for l in open(os.path.join(OUT, "train.jsonl"))]
    texts = ["".join(t for t, _ in render(s)) for s in samples]
    t0 = time.time()
    if args.resume:
        tok = Tokenizer.load(os.path.join(OUT, "tokenizer.json"))
    else:
        tok = Tokenizer(learn_merges(texts, args.merges))
        tok.save(os.path.join(OUT, "tokenizer.json"))
    print(f"tokenizer: {len(tok.tokens)} tokens ({len(tok.merges)} merges) in {time.time() - t0:.1f}s", flush=True)

    cfg = Config(vocab_size=len(tok.tokens))
    data = [encode(tok, s) for s in samples]
    data = [(i[: cfg.context + 1], f[: cfg.context + 1]) for i, f in data]
    n_tok = sum(len(i) for i, _ in data)
    print(f"corpus: {len(data)} samples, {n_tok} tokens, longest {max(len(i) for i, _ in data)}", flush=True)

    model = Llama(cfg)
    if args.resume:
        ck = torch.load(args.resume, map_location="cpu")
        model.load_state_dict(ck["model"])
        print(f"resumed from {args.resume} (step {ck['step']}, loss {ck['loss']:.4f})", flush=True)
    arith = [i for i, s in enumerate(samples) if s["kind"] == "chat" and any(
        " plus " in a or " minus " in a for _, a in s["turns"])]
    print(f"params: {model.n_params()}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() == 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-8)
    warm = 20 if args.resume else 100
    ckpt = os.path.join(OUT, f"ckpt{args.tag}.pt")
    order = []
    t0 = time.time()
    ema = None
    budget = args.minutes * 60
    step = 0
    while True:
        step += 1
        progress = max(step / args.steps, (time.time() - t0) / budget)
        if progress > 1.0:
            step -= 1
            break
        lr = args.lr * min(1.0, step / warm) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))
        for g in opt.param_groups:
            g["lr"] = lr
        if not order:
            # Length-bucketed batches (little padding), in random order.
            idx = list(range(len(data))) + arith * args.arith_extra
            rng.shuffle(idx)
            chunk = args.batch * 50
            for c in range(0, len(idx), chunk):
                part = sorted(idx[c:c + chunk], key=lambda i: len(data[i][0]))
                order += [part[j:j + args.batch] for j in range(0, len(part), args.batch)]
            rng.shuffle(order)
        batch = [data[i] for i in order.pop()]
        T = max(len(i) for i, _ in batch) - 1
        x = torch.zeros(len(batch), T, dtype=torch.long)
        y = torch.full((len(batch), T), -100, dtype=torch.long)
        for b, (ids, flags) in enumerate(batch):
            n = len(ids) - 1
            x[b, :n] = torch.tensor(ids[:-1])
            tgt = torch.tensor(ids[1:])
            m = torch.tensor(flags[1:])
            y[b, :n] = torch.where(m, tgt, torch.full_like(tgt, -100))
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, cfg.vocab_size), y.view(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        if step % 50 == 0 or step == 1:
            el = time.time() - t0
            print(f"step {step} loss {loss.item():.4f} ema {ema:.4f} lr {lr:.2e} "
                  f"{el:.0f}s ({el / step:.3f}s/step)", flush=True)
        if args.bench and step == 30:
            return
        if step % 200 == 0:
            torch.save({"model": model.state_dict(), "config": cfg.to_dict(), "step": step, "loss": ema},
                       ckpt)
    torch.save({"model": model.state_dict(), "config": cfg.to_dict(), "step": step, "loss": ema},
               ckpt)
    print(f"done: {step} steps in {time.time() - t0:.0f}s, final loss (ema) {ema:.4f}", flush=True)


if __name__ == "__main__":
    main()
