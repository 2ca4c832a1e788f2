"""shopsync against the official-SDK script (initial_sync.py), side by side.

Each run starts a fresh sandbox (`shopsync sandbox --limits-lifted`, its own process), syncs its
customers into HubSpot with one client, and stops it; shopsync and the SDK script alternate.
Prints, per client, the median wall time and the median CPU time (user + system, of the client
process alone, from wait4), and the ratios. The sandbox is not counted.

    python3 -m venv /tmp/sdk && /tmp/sdk/bin/pip install -r bench/sdk/requirements.txt
    /tmp/sdk/bin/python bench/sdk/compare.py --shopsync target/release/shopsync \
        --customers 100000 --runs 3
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env, stdin_text=None):
    """Runs `cmd` to its end; returns (wall seconds, stdout)."""
    started = time.monotonic()
    child = subprocess.Popen(
        cmd,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = child.communicate(stdin_text)
    wall = time.monotonic() - started
    # communicate() has reaped the child: its CPU time is in os.times()' children's total.
    if child.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({child.returncode}):\n{err}")
    return wall, out


def children_cpu():
    usage = os.times()
    return usage.children_user + usage.children_system


def one(kind, args, work):
    sandbox = subprocess.Popen(
        [args.shopsync, "sandbox", "--limits-lifted", "--customers", str(args.customers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = sandbox.stdout.readline()
        info = json.loads(line)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPSYNC_")}
        cpu_before = children_cpu()
        if kind == "shopsync":
            profile = os.path.join(work, "profiles.toml")
            with open(profile, "w") as f:
                f.write(
                    "[profiles.bench]\nsource = \"shopify\"\ntarget = \"hubspot\"\n"
                    "streams = [\"customers\"]\n[profiles.bench.shopify]\n"
                    f"shop = \"sandbox-store.myshopify.com\"\nbase_url = \"{info['shopify_url']}\"\n"
                    f"[profiles.bench.hubspot]\nbase_url = \"{info['hubspot_url']}\"\n"
                )
            env.update(
                SHOPSYNC_CONFIG=profile,
                SHOPSYNC_STATE_DIR=tempfile.mkdtemp(dir=work),
                SHOPSYNC_BENCH_SHOPIFY_TOKEN=info["shopify_token"],
                SHOPSYNC_BENCH_HUBSPOT_TOKEN=info["hubspot_token"],
            )
            wall, _ = run([args.shopsync, "sync", "--profile", "bench", "--quiet"], env)
        else:
            wall, _ = run([sys.executable, os.path.join(HERE, "initial_sync.py")], env, line)
        return wall, children_cpu() - cpu_before
    finally:
        sandbox.terminate()
        sandbox.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shopsync", required=True)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = {"shopsync": [], "sdk": []}
    with tempfile.TemporaryDirectory() as work:
        for i in range(args.runs):
            order = ["sdk", "shopsync"] if i % 2 == 0 else ["shopsync", "sdk"]
            for kind in order:
                results[kind].append(one(kind, args, work))
                print(f"run {i + 1} {kind}: wall {results[kind][-1][0]:.2f} s, "
                      f"CPU {results[kind][-1][1]:.2f} s", file=sys.stderr)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in results.items()}
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)
    print("| client | runs | customers | wall s (median) | CPU s (median) |")
    print("|---|---|---|---|---|")
    for k in ("sdk", "shopsync"):
        print(f"| {k} | {args.runs} | {args.customers} | {med[k][0]:.2f} | {med[k][1]:.2f} |")
    print(f"\nSDK/shopsync: wall {med['sdk'][0] / med['shopsync'][0]:.1f}x, "
          f"CPU {med['sdk'][1] / med['shopsync'][1]:.1f}x")


if __name__ == "__main__":
    main()
