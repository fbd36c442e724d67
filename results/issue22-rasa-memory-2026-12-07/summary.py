import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    for c in d["configurations"]:
        lv = c["levels"]["saturation"]
        iw = lv.get("in_windows", {})
        cpu = {k: v["median"] for k, v in iw.get("cpu_ms_per_reply", {}).items()}
        others = iw.get("others_cores") or iw.get("other_cores")
        print(f"{path.split('/')[-1]:14} commit {d['commit']} dirty {d.get('dirty')} | replies/s {iw.get('replies_per_s',{}).get('median')} | "
              f"cpu ms/reply {cpu} | peak RSS MB {lv['rss_mb_peak']} | load before {lv.get('load_average_before')} after {lv.get('load_average_after')} | errors {lv.get('errors')}")
        print("   others' cores (median):", iw.get("others_cores", {}).get("median") if isinstance(iw.get("others_cores"), dict) else iw.get("others_cores"), "| reply p50/p99 ms", lv["bot_reply_http"].get("p50"), lv["bot_reply_http"].get("p99"), "| error kinds", lv.get("error_kinds"))
