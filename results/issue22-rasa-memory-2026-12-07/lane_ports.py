"""Run a bench script with every spare port taken from lane memr's range (18100-18199)."""
import runpy, socket, sys
import helpdesk.stack as stack
_given = set()
def free_port() -> int:
    for port in range(18100, 18200):
        if port in _given:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given.add(port)
        return port
    raise SystemExit("no free port in 18100-18199")
stack.free_port = free_port
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, str(__import__("pathlib").Path(script).parent))
runpy.run_path(script, run_name="__main__")
