import sys, collections
pid = sys.argv[1]
by = collections.Counter(); cur = None
for line in open(f"/proc/{pid}/smaps"):
    parts = line.split()
    if not line[0].isupper() or (len(parts) > 1 and "-" in parts[0] and ":" not in parts[0]):
        name = parts[5] if len(parts) > 5 else "[anon]"
        if "site-packages/" in name:
            name = "pkg:" + name.split("site-packages/")[1].split("/")[0]
        cur = name
    elif parts[0] == "Rss:":
        by[cur] += int(parts[1])
total = sum(by.values())
print("total RSS MB", total // 1024)
for name, kb in by.most_common(25):
    print(f"{kb/1024:8.1f} {name}")
