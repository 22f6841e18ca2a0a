"""ServerApp: FedAvg over 16 float32 arrays of adapter-bytes in total, all clients every round, no evaluation.

Writes one line per round to the run config's result-file: "round N SECONDS", the time from the round's
configure_train (the plan) to the end of aggregate_train (the new global arrays), the span the Java benchmark
reports as plan-to-commit.
"""

import time

import numpy as np
from flwr.app import ArrayRecord, Context
from flwr.serverapp import Grid, ServerApp
from flwr.serverapp.strategy import FedAvg

app = ServerApp()


class TimedFedAvg(FedAvg):
    def __init__(self, result_file: str, **kwargs):
        super().__init__(**kwargs)
        self.result_file = result_file
        self.started = {}

    def configure_train(self, server_round, arrays, config, grid):
        self.started[server_round] = time.monotonic()
        return super().configure_train(server_round, arrays, config, grid)

    def aggregate_train(self, server_round, replies):
        replies = list(replies)
        result = super().aggregate_train(server_round, replies)
        seconds = time.monotonic() - self.started[server_round]
        errors = [r.error for r in replies if r.has_error()]
        reasons = sorted({f"{e.code}:{e.reason}"[:120].replace(" ", "_").replace("\n", "_") for e in errors})
        with open(self.result_file, "a", encoding="utf-8") as out:
            out.write(f"round {server_round} {seconds:.3f} replies {len(replies)} errors {len(errors)} "
                      f"{';'.join(reasons) or '-'}\n")
        return result


@app.main()
def main(grid: Grid, context: Context) -> None:
    cfg = context.run_config
    clients = int(cfg["clients"])
    per_tensor = max(1, int(cfg["adapter-bytes"]) // 4 // 16)
    rng = np.random.default_rng(7)
    arrays = [((rng.random(per_tensor, dtype=np.float32) - 0.5) * 0.02).astype(np.float32) for _ in range(16)]
    strategy = TimedFedAvg(
        str(cfg["result-file"]),
        fraction_train=1.0,
        fraction_evaluate=0.0,
        min_train_nodes=clients,
        min_available_nodes=clients,
    )
    strategy.start(
        grid=grid,
        initial_arrays=ArrayRecord(arrays),
        num_rounds=int(cfg["num-server-rounds"]),
        timeout=float(cfg["round-timeout"]),
    )
