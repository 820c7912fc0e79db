"""Compare `ngc ocds compile` with `ocdskit compile` on random OCDS-like input.

usage: python3 differential.py NGC_OCDS OCDSKIT SCHEMA [SEEDS] [FIRST_SEED]

Each seed makes a few contracting processes of up to five releases (in packages or bare, in any
order, some with the same date), whose fields keep their shape from release to release but
change, repeat, vanish or turn null, with array items whose ids are strings, numbers (1, 1.0),
null, repeated or missing. Both tools compile it in several modes (plain, versioned, record
packages, linked releases, --pretty, --ascii); where ocdskit succeeds, ngc's
output must be byte-identical; where ocdskit fails, ngc must fail too. Prints a summary, and
the seeds that differ (exit status 1 if any).
"""
import copy
import json
import random
import subprocess
import sys

IDS = ["1", 1, "2", 2, 1.0, "x", None]
MODES = [
    [],
    ["--versioned"],
    ["--package"],
    ["--package", "--versioned"],
    ["--package", "--linked-releases"],
    ["--versioned", "--pretty"],
    ["--ascii"],
]
# ocdskit's global options come before its command (ngc takes them after `compile`).
GLOBAL = ("--pretty", "--ascii")


def leaf(rnd):
    return rnd.choice([None, True, 1, 1.5, "a", "b", 0, -2, "é", "z\u00e9\U0001F600"])


def shape(rnd, depth=0):
    r = rnd.random()
    if depth > 2 or r < 0.35:
        return ("leaf",)
    if r < 0.65:
        return ("obj", {k: shape(rnd, depth + 1) for k in rnd.sample("abcd", rnd.randint(1, 3))})
    if r < 0.85:
        return ("arr", {k: shape(rnd, depth + 1) for k in rnd.sample("abc", rnd.randint(1, 2))})
    return ("list",)


def make(rnd, sh):
    if sh[0] == "leaf":
        return leaf(rnd)
    if sh[0] == "list":
        return [leaf(rnd) for _ in range(rnd.randint(0, 2))]
    if sh[0] == "obj":
        obj = {k: make(rnd, v) for k, v in sh[1].items() if rnd.random() < 0.85}
        return obj if rnd.random() < 0.95 else None
    items = []
    for _ in range(rnd.randint(0, 3)):
        obj = {k: make(rnd, v) for k, v in sh[1].items() if rnd.random() < 0.8}
        if rnd.random() < 0.85:
            obj["id"] = rnd.choice(IDS)
        items.append(obj)
    return items


def generate(seed):
    rnd = random.Random(seed)
    releases = []
    for p in range(rnd.randint(1, 6)):
        ocid = f"ocds-{rnd.randint(0, 4)}-{p}"
        shapes = {k: shape(rnd) for k in ["parties", "tender", "awards", "buyer", "planning"]}
        previous = {}
        for i in range(rnd.randint(1, 5)):
            date = rnd.choice(["2020-01-01", "2020-01-02", "2020-01-03"])
            release = {"ocid": ocid, "id": f"{ocid}-{i}", "date": date, "tag": ["tender"]}
            for key, sh in shapes.items():
                if rnd.random() < 0.8:
                    if key in previous and rnd.random() < 0.5:
                        release[key] = copy.deepcopy(previous[key])
                    else:
                        release[key] = make(rnd, sh)
                    previous[key] = release[key]
            releases.append(release)
    rnd.shuffle(releases)
    lines = []
    for release in releases:
        if rnd.random() < 0.5:
            package = {"uri": "u", "publishedDate": "2020", "version": "1.1", "releases": [release]}
            lines.append(json.dumps(package, separators=(",", ":"), ensure_ascii=False))
        else:
            lines.append(json.dumps(release, ensure_ascii=rnd.random() < 0.5))
    return ("\n".join(lines) + "\n").encode()


def run(command, data):
    return subprocess.run(command, input=data, capture_output=True)


def main():
    ngc, ocdskit, schema = sys.argv[1:4]
    seeds = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    first = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    identical = refused = 0
    differ = []
    for seed in range(first, first + seeds):
        data = generate(seed)
        for mode in MODES:
            before = [option for option in mode if option in GLOBAL]
            after = [option for option in mode if option not in GLOBAL]
            kit = run([ocdskit, *before, "compile", "--schema", schema, *after], data)
            ours = run([ngc, "compile", "--schema", schema, *mode], data)
            if kit.returncode != 0:
                refused += 1
                if ours.returncode == 0:
                    differ.append((seed, mode, "ocdskit failed, ngc did not"))
            elif ours.stdout == kit.stdout:
                identical += 1
            else:
                differ.append((seed, mode, "different output"))
    print(f"{seeds} seeds × {len(MODES)} modes: {identical} identical, "
          f"{refused} refused by ocdskit, {len(differ)} different")
    for seed, mode, what in differ:
        print(f"  seed {seed} {' '.join(mode) or '(compile)'}: {what}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
