#!/usr/bin/env python3
"""scikit-learn fitting the very samples of a walk-forward (bench/peers/export-fits.js wrote them).

One MLPRegressor per fit and per configuration, as the product trains its dense networks: ReLU
hidden layers, a linear output, squared error, plain SGD (no momentum, no L2), constant learning
rate, shuffled mini-batches, every epoch run (no early stopping). The bench times this whole
process beside the product's command: the peer of `backtest --strategy nn-sma ...`.

Usage: sklearn_walk.py FITS.json --hidden 10 [--hidden 5 ...] --epochs 20 [--epochs 50 ...]
       [--lr 0.01] [--batch 32]; one walk-forward per (hidden, epochs) pair, in this process.
"""
import argparse
import json
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor


def main():
    p = argparse.ArgumentParser()
    p.add_argument("fits")
    p.add_argument("--hidden", action="append", required=True, help="layer sizes, e.g. 10 or 300,100")
    p.add_argument("--epochs", action="append", type=int, required=True)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--batch", type=int, default=32)
    a = p.parse_args()
    with open(a.fits) as f:
        fits = json.load(f)["fits"]
    data = [(np.asarray(f["x"], dtype=np.float64).reshape(f["rows"], f["steps"] * f["cols"]), np.asarray(f["y"], dtype=np.float64)) for f in fits]
    warnings.simplefilter("ignore", ConvergenceWarning)
    done = 0
    losses = []
    for hidden in a.hidden:
        sizes = tuple(int(h) for h in hidden.split(","))
        for epochs in a.epochs:
            for i, (x, y) in enumerate(data):
                m = MLPRegressor(hidden_layer_sizes=sizes, activation="relu", solver="sgd", alpha=0.0, batch_size=a.batch,
                                 learning_rate="constant", learning_rate_init=a.lr, momentum=0.0, nesterovs_momentum=False,
                                 max_iter=epochs, shuffle=True, random_state=i, tol=0.0, n_iter_no_change=epochs + 1,
                                 early_stopping=False)
                m.fit(x, y)
                losses.append(m.loss_)
                done += 1
    print(json.dumps({"peer": "scikit-learn", "fits": done, "meanFinalLoss": float(np.mean(losses))}))


if __name__ == "__main__":
    main()
