"""Writes out/token-check.json: sample strings with tokenizer.py's ids, for evaluate.ts to compare."""
import json
import os

from tokenizer import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
tok = Tokenizer.load(os.path.join(HERE, "out", "tokenizer.json"))
samples = [
    "Say this is a test!", "What is 7 plus 5?", "What's the capital of New Zealand?",
    "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n", "The capital of France is",
    "A long time ago in a galaxy far, far away", "Count from 3 to 12.", "  two  spaces\n\nnewlines\t tab",
    "I'm fine, you're great; they'll see it's 40% (x+y)=z... ok?!", "Uppercase this: GOOD MORNING",
    "hearth models install localai@phi-2", "12345 678 + 9", "don't 'quote' \"double\" [x] {y} #1 $2 ^ ~ | `tick`",
]
with open(os.path.join(HERE, "out", "token-check.json"), "w") as f:
    json.dump([{"text": s, "ids": tok.encode(s)} for s in samples], f, indent=1)
print(f"wrote {len(samples)} tokenization cases")
