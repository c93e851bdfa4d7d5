"""The analysis library's layers: checks/ -> flow/ -> core/. Prints every include that goes the
other way (a core/ file including flow/ or checks/, a flow/ file including checks/), and any
source left outside the three folders; prints "layers ok" when there is none."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
rank = {"core": 0, "flow": 1, "checks": 2}
bad = []
for f in sorted(root.rglob("*")):
    if f.suffix not in (".h", ".cpp"):
        continue
    layer = f.relative_to(root).parts[0]
    if layer not in rank:
        bad.append(f"{f.relative_to(root)}: outside core/, flow/ and checks/")
        continue
    for n, line in enumerate(f.read_text().splitlines(), 1):
        m = re.match(r'#include "analysis/(\w+)/', line)
        if m and rank.get(m.group(1), -1) > rank[layer]:
            bad.append(f"{f.relative_to(root)}:{n}: {layer}/ includes {m.group(1)}/")
print("\n".join(bad) if bad else "layers ok")
