"""Generate compile benchmark input: the standard's merging example (five release packages of one
contracting process) repeated under distinct ocids, one compact package per line, until the output
reaches the requested size in MB.

usage: python3 generate.py MERGING_DIR SIZE_MB > out.json
"""
import json
import sys

FILES = ["merge-tender-1.json", "merge-tender-2.json", "merge-tender-3.json", "merge-award-1.json", "merge-award-2.json"]
OCID = "ocds-213czf-000-00002"

directory, size_mb = sys.argv[1], float(sys.argv[2])
template = "\n".join(json.dumps(json.load(open(f"{directory}/{f}")), separators=(",", ":"), ensure_ascii=False) for f in FILES) + "\n"
limit = int(size_mb * 1_000_000)
written = n = 0
out = sys.stdout
while written < limit:
    chunk = template.replace(OCID, f"ocds-213czf-{n:09d}")
    out.write(chunk)
    written += len(chunk.encode())
    n += 1
print(f"{n} contracting processes, {written} bytes", file=sys.stderr)
