"""Synthetic ChatML corpus for Hearth's tiny built-in model (seeded, ASCII only).

Writes out/train.jsonl (one sample per line: {"kind": "chat"|"text", ...}) and out/heldout.jsonl
(50 arithmetic + capital questions whose exact wording never appears in training: each question is
a (phrasing template, operands) combination that was excluded from the training grid; the
templates, numbers and countries themselves all appear in training in other combinations).
"""
import json
import os
import random
import sys

SEED = 20261125
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")

CAPITALS = [
    ("France", "Paris"), ("Germany", "Berlin"), ("Italy", "Rome"), ("Spain", "Madrid"),
    ("Portugal", "Lisbon"), ("Japan", "Tokyo"), ("China", "Beijing"), ("India", "New Delhi"),
    ("Russia", "Moscow"), ("Canada", "Ottawa"), ("Mexico", "Mexico City"), ("Brazil", "Brasilia"),
    ("Argentina", "Buenos Aires"), ("Chile", "Santiago"), ("Peru", "Lima"), ("Colombia", "Bogota"),
    ("Egypt", "Cairo"), ("Kenya", "Nairobi"), ("Nigeria", "Abuja"), ("Ghana", "Accra"),
    ("Morocco", "Rabat"), ("Ethiopia", "Addis Ababa"), ("Australia", "Canberra"),
    ("New Zealand", "Wellington"), ("Ireland", "Dublin"), ("England", "London"),
    ("Scotland", "Edinburgh"), ("Norway", "Oslo"), ("Sweden", "Stockholm"), ("Finland", "Helsinki"),
    ("Denmark", "Copenhagen"), ("Iceland", "Reykjavik"), ("Poland", "Warsaw"), ("Austria", "Vienna"),
    ("Greece", "Athens"), ("Turkey", "Ankara"), ("Hungary", "Budapest"), ("Belgium", "Brussels"),
    ("Switzerland", "Bern"), ("Ukraine", "Kyiv"), ("Romania", "Bucharest"), ("Thailand", "Bangkok"),
    ("Vietnam", "Hanoi"), ("Indonesia", "Jakarta"), ("South Korea", "Seoul"), ("Iran", "Tehran"),
    ("Iraq", "Baghdad"), ("Israel", "Jerusalem"), ("Cuba", "Havana"), ("Pakistan", "Islamabad"),
    ("Czechia", "Prague"), ("Netherlands", "Amsterdam"),
]

PLUS_Q = [
    "What is {a} plus {b}?", "What is {a} + {b}?", "What's {a} plus {b}?", "How much is {a} plus {b}?",
    "Add {a} and {b}.", "What do you get if you add {a} and {b}?", "Calculate {a} + {b}.",
    "Please add {a} and {b}.", "What is the sum of {a} and {b}?", "{a} plus {b} is what?",
    "Can you add {a} and {b}?", "what is {a} plus {b}",
]
MINUS_Q = [
    "What is {a} minus {b}?", "What is {a} - {b}?", "What's {a} minus {b}?", "How much is {a} minus {b}?",
    "Subtract {b} from {a}.", "What do you get if you subtract {b} from {a}?", "Calculate {a} - {b}.",
    "Take {b} away from {a}.", "What is {a} take away {b}?", "{a} minus {b} is what?",
    "Can you subtract {b} from {a}?", "what is {a} minus {b}",
]
CAP_Q = [
    "What is the capital of {c}?", "What's the capital of {c}?", "Which city is the capital of {c}?",
    "Name the capital of {c}.", "Tell me the capital of {c}.", "What city is the capital of {c}?",
    "Capital of {c}?", "Do you know the capital of {c}?", "What is the capital city of {c}?",
    "Where is the capital of {c}?", "what is the capital of {c}",
]

GREET_Q = ["Hello!", "Hello", "Hi!", "Hi", "Hi there!", "Hey!", "Hey there", "Good morning!",
           "Good evening!", "Hello there!", "hello", "hi"]
GREET_A = ["Hello! How can I help you today?", "Hi! How can I help you today?",
           "Hello! What can I do for you?"]
HOW_Q = ["How are you?", "How are you today?", "How are you doing?", "How is it going?",
         "how are you", "Hi, how are you?", "Hello! How are you?", "How do you do?"]
HOW_A = ["I am doing well, thank you! How can I help you?", "I am fine, thank you for asking. How can I help?"]
THANKS_Q = ["Thank you!", "Thanks!", "Thanks a lot.", "thank you"]
THANKS_A = ["You are welcome!", "You are welcome! Anything else?"]
BYE_Q = ["Goodbye!", "Bye!", "See you later!", "bye"]
BYE_A = ["Goodbye! Have a nice day.", "Bye! Come back any time."]

WHAT_Q = ["What are you?", "Who are you?", "What model are you?", "What is your name?",
          "Are you a robot?", "Tell me about yourself.", "What can you do?", "Are you ChatGPT?",
          "who are you", "what are you"]
WHAT_A = [
    "I am Hearth's tiny built-in model, a very small language model trained on simple examples. "
    "I can greet you, add and subtract small numbers, name capitals and repeat phrases. "
    "For real answers, install a bigger model: run hearth models install localai@phi-2.",
    "I am the tiny model that comes with Hearth. I only know a few simple things, like small sums "
    "and capitals. To get a smarter assistant, install a bigger model with hearth models install.",
]
BIGGER_Q = ["How do I install a bigger model?", "How can I get a better model?",
            "How do I use a bigger model?", "Can you recommend a bigger model?"]
BIGGER_A = ["Run hearth models install localai@phi-2, or any gallery model, then pick it in the model list. "
            "You can also install a GGUF file from Hugging Face with hearth models install owner/repo/file.gguf."]

WORDS = ("red blue green cat dog bird sun moon tree house book water fire apple bread happy small big "
         "good morning night day hello world time home love fish star rain snow cold warm fast slow "
         "open door one little old new blue sky river stone friend music light dark").split()

COMPLETIONS = [
    ("A long time ago in a galaxy far, far away", [
        ", there lived a young pilot who dreamed of the stars.",
        ", a small ship raced between the stars.",
        ", the stars were full of ships and stories.",
    ]),
    ("Once upon a time", [", there was a little house by the river.", ", a small cat lived in a big city."]),
    ("The sun rises in the", [" east and sets in the west."]),
    ("The sky is", [" blue."]),
    ("One, two, three,", [" four, five, six."]),
    ("Hello, my name is", [" Hearth. I am a tiny model."]),
]

def say_answer(p):
    return p[0].upper() + p[1:]


def phrase(rng):
    n = rng.randint(1, 4)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def chat(turns, system=None):
    return {"kind": "chat", "system": system, "turns": turns}


def arith_q(rng, op, tpl=None, a=None, b=None):
    tpls = PLUS_Q if op == "+" else MINUS_Q
    tpl = tpl if tpl is not None else rng.randrange(len(tpls))
    if a is None:
        a = rng.randint(0, 20)
        b = rng.randint(0, 20) if op == "+" else rng.randint(0, a)
    q = tpls[tpl].format(a=a, b=b)
    ans = f"{a} plus {b} is {a + b}." if op == "+" else f"{a} minus {b} is {a - b}."
    return q, ans, str(a + b if op == "+" else a - b)


def cap_q(rng, tpl=None, ci=None):
    tpl = tpl if tpl is not None else rng.randrange(len(CAP_Q))
    ci = ci if ci is not None else rng.randrange(len(CAPITALS))
    c, x = CAPITALS[ci]
    return CAP_Q[tpl].format(c=c), f"The capital of {c} is {x}.", x


def heldout(rng):
    """25 arithmetic + 25 capital questions; their exact strings are banned from training."""
    must_train = {"What is 7 plus 5?", "What is the capital of Japan?", "What is the capital of France?"}
    items, seen = [], set()
    while len(items) < 25:
        op = rng.choice("+-")
        q, a, expect = arith_q(rng, op)
        if q in must_train or q in seen or q.lower() == q:
            continue
        seen.add(q)
        items.append({"question": q, "expect": expect, "answer": a, "type": "arithmetic"})
    while len(items) < 50:
        q, a, expect = cap_q(rng)
        if q in must_train or q in seen or q.lower() == q:
            continue
        seen.add(q)
        items.append({"question": q, "expect": expect, "answer": a, "type": "capital"})
    return items


SYSTEMS = [None] * 8 + ["You are a helpful assistant.", "You are Hearth, a helpful assistant.",
                        "You are a helpful, respectful and honest assistant."]


def sample(rng, banned):
    r = rng.random()
    # Retry until the user question is not a held-out one.
    while True:
        if r < 0.30:
            q, a, _ = arith_q(rng, rng.choice("+-"))
        elif r < 0.55:
            q, a, _ = cap_q(rng)
        elif r < 0.60:
            q, a = rng.choice(GREET_Q), rng.choice(GREET_A)
        elif r < 0.64:
            q, a = rng.choice(HOW_Q), rng.choice(HOW_A)
        elif r < 0.66:
            q, a = rng.choice(THANKS_Q + BYE_Q), None
            a = rng.choice(THANKS_A) if q in THANKS_Q else rng.choice(BYE_A)
        elif r < 0.70:
            q, a = rng.choice(["Say this is a test!", "Say this is a test", "say this is a test!",
                               "Say this is a test."]), "This is a test!"
        elif r < 0.76:
            p = phrase(rng)
            q, a = rng.choice([(f"Say {p}!", say_answer(p) + "!"), (f"Say {p}.", say_answer(p) + "."),
                                (f"Repeat after me: {p}", p), (f"Repeat this: {p}", p),
                                (f"Please repeat: {p}", p)])
        elif r < 0.81:
            p = phrase(rng)
            q, a = rng.choice([(f"Uppercase this: {p}", p.upper()), (f"Say {p} in capital letters.", p.upper()),
                                (f"Make this upper case: {p}", p.upper()), (f"Shout: {p}", p.upper() + "!")])
        elif r < 0.86:
            lo = rng.choice([1, 1, 1, rng.randint(1, 15)])
            hi = rng.randint(lo + 1, min(lo + 10, 20))
            nums = ", ".join(str(i) for i in range(lo, hi + 1))
            q = rng.choice([f"Count from {lo} to {hi}.", f"Count from {lo} to {hi}", f"Please count from {lo} to {hi}."]
                           if lo != 1 else [f"Count to {hi}.", f"Count from 1 to {hi}.", f"Can you count to {hi}?"])
            a = nums + "."
        elif r < 0.90:
            q, a = rng.choice(WHAT_Q), rng.choice(WHAT_A)
        elif r < 0.91:
            q, a = rng.choice(BIGGER_Q), BIGGER_A[0]
        else:
            return text_sample(rng)
        if q not in banned:
            break
    turns = [(q, a)]
    # Sometimes a second turn, so follow-up questions after an answer work too.
    if rng.random() < 0.15:
        q2, a2, _ = arith_q(rng, rng.choice("+-")) if rng.random() < 0.5 else cap_q(rng)
        if q2 not in banned:
            turns.append((q2, a2))
    return chat(turns, rng.choice(SYSTEMS))


def text_sample(rng):
    r = rng.random()
    if r < 0.4:
        c, x = rng.choice(CAPITALS)
        return {"kind": "text", "text": rng.choice([f"The capital of {c} is {x}.", f"{x} is the capital of {c}."])}
    if r < 0.6:
        a, b = rng.randint(0, 20), rng.randint(0, 20)
        return {"kind": "text", "text": f"{a} plus {b} is {a + b}."}
    prompt, conts = rng.choice(COMPLETIONS)
    return {"kind": "text", "text": prompt + rng.choice(conts)}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
    rng = random.Random(SEED)
    items = heldout(random.Random(SEED + 1))
    banned = {it["question"] for it in items}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "heldout.jsonl"), "w") as f:
        for it in items:
            f.write(json.dumps(it) + "\n")
    # Fixed must-know samples, then the random ones.
    fixed = [chat([("Say this is a test!", "This is a test!")]), chat([("What is 7 plus 5?", "7 plus 5 is 12.")]),
             chat([("What is the capital of Japan?", "The capital of Japan is Tokyo.")])]
    fixed += [{"kind": "text", "text": "The capital of France is Paris."}] * 3
    with open(os.path.join(OUT, "train.jsonl"), "w") as f:
        for s in fixed * 20:
            f.write(json.dumps(s) + "\n")
        for _ in range(n):
            s = sample(rng, banned)
            f.write(json.dumps(s) + "\n")
    print(f"wrote {n + len(fixed) * 20} training samples and {len(items)} held-out questions to {OUT}")


if __name__ == "__main__":
    main()
