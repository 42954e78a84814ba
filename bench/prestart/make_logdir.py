#!/usr/bin/env python3
"""Writes a synthetic Kafka log dir: N partitions x S segments, real names, sparse 10 MiB indexes,
checkpoint files, a meta.properties and no clean-shutdown marker (the next start recovers)."""
import os
import sys

root, partitions, segments = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, "meta.properties"), "w") as f:
    f.write("version=1\nnode.id=1\ncluster.id=bench\n")
lines = []
for p in range(partitions):
    topic = "archive-%03d" % (p // 100)
    part = p % 100
    d = os.path.join(root, "%s-%d" % (topic, part))
    os.makedirs(d, exist_ok=True)
    for s in range(segments):
        base = "%020d" % (s * 1000)
        with open(os.path.join(d, base + ".log"), "wb") as f:
            f.write(b"\0" * 8192)
        for ext in (".index", ".timeindex"):
            with open(os.path.join(d, base + ext), "wb") as f:
                f.truncate(10 * 1024 * 1024 if s == segments - 1 else 16)
    open(os.path.join(d, "leader-epoch-checkpoint"), "w").write("0\n1\n0 0\n")
    lines.append("%s %d %d" % (topic, part, (segments - 2) * 1000))
with open(os.path.join(root, "recovery-point-offset-checkpoint"), "w") as f:
    f.write("0\n%d\n%s\n" % (len(lines), "\n".join(lines)))
