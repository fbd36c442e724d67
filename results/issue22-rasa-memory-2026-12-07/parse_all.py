"""Parse every team dev row with the shipped model, in a process set up as `rasa run` is by nlu_addons.rasa_main
(the 'deferred' mode: tensorflow_on_demand; 'plain': without it, as at 0cd4431), and write each parse as JSON."""
import asyncio, json, sys
mode, out = sys.argv[1], sys.argv[2]
from nlu_addons import rasa_main
rasa_main.one_math_thread(); rasa_main.without_jax()
if mode == "deferred":
    rasa_main.tensorflow_on_demand(["rasa", "run"])
rasa_main.install()
from rasa.core.agent import load_agent
files = ["eval/routing/dev.jsonl", "eval/routing/dev_zh.jsonl", "eval/handbook/queries_dev.jsonl",
         "eval/handbook/queries_dev_zh.jsonl", "eval/handbook/paraphrases_styles_dev.jsonl", "eval/handbook/oos_dev.jsonl",
         "eval/handbook/oos_dev_zh.jsonl", "eval/handbook/oos_styles_dev.jsonl"]
texts = []
for f in files:
    for line in open(f):
        row = json.loads(line)
        texts.append(row.get("text") or row.get("query"))
async def main():
    agent = await load_agent(model_path="models/larkspur.tar.gz")
    results = []
    for t in texts:
        results.append(await agent.parse_message(t))
    return results
results = asyncio.run(main())
json.dump({"tensorflow": "tensorflow" in sys.modules, "parses": results}, open(out, "w"), ensure_ascii=False, sort_keys=True, default=str)
print(mode, len(results), "tensorflow" in sys.modules)
