import sys, asyncio
def rss(): return int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]) / 1024
mode = sys.argv[1]
from nlu_addons import rasa_main
rasa_main.one_math_thread(); rasa_main.without_jax()
if mode == "after":
    rasa_main.tensorflow_on_demand(["rasa", "run"])
rasa_main.install()
import rasa.core.run, rasa.core.agent
a = rss()
from rasa.core.agent import load_agent
async def main():
    agent = await load_agent(model_path="models/larkspur.tar.gz")
    b = rss()
    await agent.handle_text("hello there", sender_id="x")
    await agent.handle_text("我的订单到哪了", sender_id="y")
    c = rss()
    print(f"{mode}: tensorflow {'tensorflow' in sys.modules}; RSS MB after imports {a:.0f}, after loading the model {b:.0f}, after two turns {c:.0f}", file=sys.stderr)
asyncio.run(main())
