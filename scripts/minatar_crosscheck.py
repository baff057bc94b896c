#!/usr/bin/env python3
"""Frame-by-frame cross-check of weightnorm4j's MinAtar games against MinAtar's own Python code.

MinAtar (GPL-3.0) is not part of this repository: point --minatar at a checkout of it (the
directory holding the `minatar` package; version 1.0.15 is commit f674e15). The two random
streams differ by design, so this script hands MinAtar a stand-in for numpy's RandomState that
draws from the same SplitMix64 stream as org.weightnorm4j.rl.SplitMix64, with the same mapping
from raw numbers to rand()/randint(). If both sides make the same draws in the same order, with
the same rules, every frame must be identical; any difference is reported with its frame.

Usage: scripts/minatar_crosscheck.py --minatar /path/to/MinAtar --weightnorm ./weightnorm
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

MASK = (1 << 64) - 1


class SplitMixRandomState:
    """rand()/randint() over SplitMix64, matching org.weightnorm4j.rl.SplitMix64 bit for bit."""

    def __init__(self, seed):
        self.state = seed & MASK

    def _next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def _double(self):
        return (self._next() >> 11) * 2.0 ** -53

    def _int(self, bound):
        while True:
            bits = self._next() >> 33
            value = bits % bound
            if bits - value + (bound - 1) < 2 ** 31:
                return value

    def rand(self, *size):
        import numpy as np
        if not size:
            return self._double()
        return np.array([self._double() for _ in range(size[0])])

    def randint(self, low, high=None, size=None):
        import numpy as np
        if high is None:
            low, high = 0, low
        if size is None:
            return low + self._int(high - low)
        return np.array([low + self._int(high - low) for _ in range(size)])


def heuristic(game, state, chooser):
    """A rough player that reaches deeper parts of each game than uniform actions do; state is HWC."""
    def cells(c):
        return [(r, k) for r in range(10) for k in range(10) if state[r, k, c]]
    if chooser.random() < 0.25:
        return chooser.randrange(6)
    if game == "freeway":
        return 2
    if game == "breakout":
        (ball,), (paddle,) = cells(1), cells(0)
        return 1 if ball[1] < paddle[1] else 3 if ball[1] > paddle[1] else 0
    if game == "space_invaders":
        aliens = cells(1)
        (cannon,) = cells(0)
        if chooser.random() < 0.5:
            return 5
        target = min(aliens, key=lambda a: abs(a[1] - cannon[1]))[1] if aliens else cannon[1]
        return 1 if target < cannon[1] else 3 if target > cannon[1] else 5
    if game == "seaquest":
        (front,) = cells(0)
        oxygen = len(cells(7))
        divers_aboard = len(cells(8))
        if oxygen <= 3 and divers_aboard > 0 or divers_aboard == 6:
            return 2
        divers = cells(9)
        target = divers[0] if divers else (4, 5)
        if front[0] < target[0]:
            return 4
        if front[0] > target[0] and front[0] > 1:
            return 2
        return chooser.choice([1, 3, 5, 5])
    return chooser.randrange(6)


def planner(env, chooser, depth=8, rollouts=4):
    """Looks ahead on copies of MinAtar's game (its random state copied too, so it foresees spawns)
    and picks the action whose random continuations keep the player alive and scoring longest;
    this reaches the late, ramped-up parts of Asterix, Seaquest and Space Invaders."""
    import copy
    best, best_score = 0, None
    for a in env.minimal_action_set():
        score = None
        for _ in range(rollouts):
            sim = copy.deepcopy(env.env)
            r, done = sim.act(a)
            total, k = r, 0
            while not done and k < depth:
                r, done = sim.act(chooser.choice(env.minimal_action_set()))
                total, k = total + r, k + 1
            value = total - (100.0 * (depth + 1 - k) if done else 0.0)
            score = value if score is None else max(score, value)  # some continuation is safe
        if best_score is None or score > best_score:
            best, best_score = a, score
    return best


def python_frames(game, seed, sticky, ramping, actions, policy="heuristic"):
    from minatar import Environment
    env = Environment(game, sticky_action_prob=sticky, difficulty_ramping=ramping)
    rng = SplitMixRandomState(seed)
    env.random = rng
    env.env.random = rng
    env.reset()
    python_frames.max_ramp = 0
    frames = []
    episode, t = 0, 0

    def emit(action, taken, reward, terminal):
        obs = env.state().transpose(2, 0, 1).astype(int).tolist()
        frames.append({"episode": episode, "t": t, "action": action, "taken": taken,
                       "reward": int(reward), "terminal": bool(terminal), "obs": obs})

    emit(None, None, 0, False)
    terminal = False
    chooser = random.Random(seed)
    for i in range(len(actions)):
        if actions[i] is None:
            if policy == "planner":
                actions[i] = planner(env, chooser)
            else:
                actions[i] = heuristic(game, env.state(), chooser)
        a = actions[i]
        if terminal:
            episode, t = episode + 1, 0
            env.reset()
            emit(None, None, 0, False)
        reward, terminal = env.act(a)
        t += 1
        ramp = env.env.difficulty_ramp()
        if ramp is not None:
            python_frames.max_ramp = max(python_frames.max_ramp, ramp)
        emit(a, env.last_action, reward, terminal)
    if terminal:
        episode, t = episode + 1, 0
        env.reset()
        emit(None, None, 0, False)
    return frames


def java_frames(weightnorm, game, seed, sticky, ramping, actions):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(",".join(map(str, actions)))
        path = f.name
    try:
        out = subprocess.run([weightnorm, "play", "--game", game, "--seed", str(seed), "--sticky", str(sticky),
                              "--ramping", "true" if ramping else "false", "--actions", path, "--jsonl",
                              "--episodes", "1000000", "--max-frames", "1000000"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--minatar", required=True)
    p.add_argument("--weightnorm", default="./weightnorm")
    p.add_argument("--games", default="asterix,breakout,freeway,seaquest,space_invaders")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--frames", type=int, default=20000)
    p.add_argument("--settings", default="0.1:true,0.0:true,0.1:false",
                   help="sticky:ramping pairs to run")
    p.add_argument("--policy", choices=["held-random", "heuristic", "planner"], default="heuristic")
    args = p.parse_args()
    sys.path.insert(0, args.minatar)
    failures = 0
    for game in args.games.split(","):
        for seed in map(int, args.seeds.split(",")):
            for pair in args.settings.split(","):
                sticky, ramping = float(pair.split(":")[0]), pair.split(":")[1] == "true"
                # A policy that holds each action for a few frames, so that the player gets
                # around (a uniform policy hardly leaves the start in some games).
                chooser = random.Random(seed * 7919 + len(game))
                actions = []
                while len(actions) < args.frames:
                    actions += [chooser.randrange(6)] * chooser.randint(1, 6)
                actions = actions[:args.frames]
                if args.policy in ("heuristic", "planner"):
                    actions = [None] * args.frames  # chosen while MinAtar plays, then replayed in Java
                py = python_frames(game, seed, sticky, ramping, actions, args.policy)
                jv = java_frames(args.weightnorm, game, seed, sticky, ramping, actions)
                bad = next((i for i, (a, b) in enumerate(zip(py, jv)) if a != b), None)
                if bad is None and len(py) != len(jv):
                    bad = min(len(py), len(jv))
                episodes = py[-1]["episode"] + 1 if py else 0
                returns = sum(f["reward"] for f in py)
                per_episode = {}
                for f in py:
                    per_episode[f["episode"]] = per_episode.get(f["episode"], 0) + f["reward"]
                best = max(per_episode.values())
                status = "identical" if bad is None else "DIFFERS at frame %d" % bad
                print("%-15s seed %d sticky %.1f ramping %-5s: %d frames, %d episodes, total reward %d, best episode %d, highest ramp index %d: %s"
                      % (game, seed, sticky, ramping, len(py), episodes, returns, best, python_frames.max_ramp, status), flush=True)
                if bad is not None:
                    failures += 1
                    if bad < len(py) and bad < len(jv):
                        print("  python:", json.dumps({k: v for k, v in py[bad].items() if k != "obs"}),
                              "\n  java:  ", json.dumps({k: v for k, v in jv[bad].items() if k != "obs"}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
