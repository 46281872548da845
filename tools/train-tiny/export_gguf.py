"""Writes out/ckpt.pt + out/tokenizer.json as a llama GGUF (v3) with our own writer.

Usage: python3 export_gguf.py OUT.gguf [--name hearth-chat]
2-D weights are F16, norms F32. Tokenizer metadata mirrors test/fixtures/gguf/byte-bpe-vocab.ts:
gpt2 model, "default" pre-tokenizer, ChatML specials as control tokens, eos/eot = <|im_end|>,
bos = padding = <|endoftext|>, add_bos false, ChatML chat template.
"""
import argparse
import os
import struct

import numpy as np
import torch

from tokenizer import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")

CHATML_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] "
                   "+ '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")

T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR = 4, 5, 6, 7, 8, 9
GGML_F32, GGML_F16 = 0, 1
ALIGN = 32


def s(b, text):
    raw = text.encode("utf-8")
    b += struct.pack("<Q", len(raw)) + raw


def kv(b, key, typ, value):
    s(b, key)
    b += struct.pack("<I", typ)
    if typ == T_U32:
        b += struct.pack("<I", value)
    elif typ == T_I32:
        b += struct.pack("<i", value)
    elif typ == T_F32:
        b += struct.pack("<f", value)
    elif typ == T_BOOL:
        b += struct.pack("<B", 1 if value else 0)
    elif typ == T_STR:
        s(b, value)
    else:
        raise ValueError(typ)


def kv_arr(b, key, elem, values):
    s(b, key)
    b += struct.pack("<IIQ", T_ARR, elem, len(values))
    for v in values:
        if elem == T_STR:
            s(b, v)
        elif elem == T_I32:
            b += struct.pack("<i", v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--name", default="hearth-chat")
    ap.add_argument("--ckpt", default=os.path.join(OUT, "ckpt.pt"))
    args = ap.parse_args()
    ck = torch.load(args.ckpt, map_location="cpu")
    cfg, sd = ck["config"], ck["model"]
    tok = Tokenizer.load(os.path.join(OUT, "tokenizer.json"))
    assert len(tok.tokens) == cfg["vocab_size"]
    hd = cfg["dim"] // cfg["n_heads"]

    tensors = [("token_embd.weight", sd["tok_emb.weight"])]
    for i in range(cfg["n_layers"]):
        p = f"blocks.{i}."
        tensors += [
            (f"blk.{i}.attn_norm.weight", sd[p + "attn_norm.weight"]),
            (f"blk.{i}.attn_q.weight", sd[p + "wq.weight"]),
            (f"blk.{i}.attn_k.weight", sd[p + "wk.weight"]),
            (f"blk.{i}.attn_v.weight", sd[p + "wv.weight"]),
            (f"blk.{i}.attn_output.weight", sd[p + "wo.weight"]),
            (f"blk.{i}.ffn_norm.weight", sd[p + "ffn_norm.weight"]),
            (f"blk.{i}.ffn_gate.weight", sd[p + "w_gate.weight"]),
            (f"blk.{i}.ffn_up.weight", sd[p + "w_up.weight"]),
            (f"blk.{i}.ffn_down.weight", sd[p + "w_down.weight"]),
        ]
    tensors += [("output_norm.weight", sd["norm.weight"]), ("output.weight", sd["output.weight"])]

    meta = bytearray()
    n_kv = 0

    def add(key, typ, value):
        nonlocal n_kv
        kv(meta, key, typ, value)
        n_kv += 1

    def add_arr(key, elem, values):
        nonlocal n_kv
        kv_arr(meta, key, elem, values)
        n_kv += 1

    add("general.architecture", T_STR, "llama")
    add("general.name", T_STR, args.name)
    add("general.file_type", T_U32, 1)  # MOSTLY_F16
    add("general.alignment", T_U32, ALIGN)
    add("llama.vocab_size", T_U32, cfg["vocab_size"])
    add("llama.context_length", T_U32, cfg["context"])
    add("llama.embedding_length", T_U32, cfg["dim"])
    add("llama.block_count", T_U32, cfg["n_layers"])
    add("llama.feed_forward_length", T_U32, cfg["ffn_dim"])
    add("llama.attention.head_count", T_U32, cfg["n_heads"])
    add("llama.attention.head_count_kv", T_U32, cfg["n_kv_heads"])
    add("llama.rope.dimension_count", T_U32, hd)
    add("llama.rope.freq_base", T_F32, float(cfg["rope_base"]))
    add("llama.attention.layer_norm_rms_epsilon", T_F32, float(cfg["norm_eps"]))
    add("tokenizer.ggml.model", T_STR, "gpt2")
    add("tokenizer.ggml.pre", T_STR, "default")
    add_arr("tokenizer.ggml.tokens", T_STR, tok.tokens)
    add_arr("tokenizer.ggml.token_type", T_I32, [1] * tok.n_normal + [3] * (len(tok.tokens) - tok.n_normal))
    add_arr("tokenizer.ggml.merges", T_STR, [" ".join(m) for m in tok.merges])
    add("tokenizer.ggml.bos_token_id", T_U32, tok.endoftext)
    add("tokenizer.ggml.eos_token_id", T_U32, tok.im_end)
    add("tokenizer.ggml.eot_token_id", T_U32, tok.im_end)
    add("tokenizer.ggml.padding_token_id", T_U32, tok.endoftext)
    add("tokenizer.ggml.add_bos_token", T_BOOL, False)
    add("tokenizer.ggml.add_eos_token", T_BOOL, False)
    add("tokenizer.chat_template", T_STR, CHATML_TEMPLATE)

    infos, blobs, off = bytearray(), [], 0
    for name, t in tensors:
        arr = t.detach().float().numpy()
        arr = arr.astype(np.float32 if arr.ndim == 1 else np.float16)
        s(infos, name)
        dims = list(reversed(arr.shape))  # ggml: ne0 = contiguous row length first
        infos += struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        infos += struct.pack("<IQ", GGML_F32 if arr.ndim == 1 else GGML_F16, off)
        data = np.ascontiguousarray(arr).tobytes()
        pad = (-len(data)) % ALIGN
        blobs.append(data + b"\0" * pad)
        off += len(data) + pad

    header = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), n_kv) + bytes(meta) + bytes(infos)
    header += b"\0" * ((-len(header)) % ALIGN)
    tmp = args.out + ".partial"
    with open(tmp, "wb") as f:
        f.write(header)
        for b in blobs:
            f.write(b)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {os.path.getsize(args.out)} bytes, {len(tensors)} tensors, step {ck['step']}, loss {ck['loss']:.4f}")


if __name__ == "__main__":
    main()
