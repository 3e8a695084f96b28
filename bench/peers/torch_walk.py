#!/usr/bin/env python3
"""PyTorch (CPU) fitting the very samples of a walk-forward (bench/peers/export-fits.js wrote them).

`--model mlp`: the dense network as the product trains it (ReLU hidden layers, a linear output,
mean squared error, plain SGD or Adam, shuffled mini-batches, every epoch run). `--model lstm`:
one LSTM layer of `--units` over the lookback window, its last state into a linear output, as
the product's `lstm` model. The bench times this whole process beside the product's command.

Usage: torch_walk.py FITS.json --model mlp|lstm [--hidden 300,100] [--units 32] --epochs 20
       [--optimizer sgd|adam] [--lr L] [--batch 32] [--threads 2]
"""
import argparse
import json

import numpy as np
import torch
from torch import nn


def network(kind, inputs, a):
    if kind == "lstm":
        class Lstm(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(inputs, a.units, batch_first=True)
                self.out = nn.Linear(a.units, 1)

            def forward(self, x):
                h, _ = self.lstm(x)
                return self.out(h[:, -1, :])
        return Lstm()
    layers, width = [], inputs
    for h in (int(s) for s in a.hidden.split(",")):
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("fits")
    p.add_argument("--model", choices=["mlp", "lstm"], required=True)
    p.add_argument("--hidden", default="10")
    p.add_argument("--units", type=int, default=32)
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--lr", type=float)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    with open(a.fits) as f:
        fits = json.load(f)["fits"]
    lr = a.lr if a.lr is not None else (0.01 if a.optimizer == "sgd" else 0.001)
    losses = []
    for i, f in enumerate(fits):
        torch.manual_seed(i)
        x = torch.tensor(np.asarray(f["x"], dtype=np.float32).reshape(f["rows"], f["steps"], f["cols"]))
        if a.model == "mlp":
            x = x.reshape(f["rows"], f["steps"] * f["cols"])
        y = torch.tensor(np.asarray(f["y"], dtype=np.float32)).reshape(-1, 1)
        net = network(a.model, f["cols"] if a.model == "lstm" else f["steps"] * f["cols"], a)
        opt = torch.optim.SGD(net.parameters(), lr=lr) if a.optimizer == "sgd" else torch.optim.Adam(net.parameters(), lr=lr)
        loss_fn = nn.MSELoss()
        for _ in range(a.epochs):
            order = torch.randperm(f["rows"])
            total = 0.0
            for s in range(0, f["rows"], a.batch):
                idx = order[s:s + a.batch]
                opt.zero_grad()
                loss = loss_fn(net(x[idx]), y[idx])
                loss.backward()
                opt.step()
                total += float(loss) * len(idx)
        losses.append(total / f["rows"])
    print(json.dumps({"peer": "pytorch", "threads": a.threads, "fits": len(fits), "meanFinalLoss": float(np.mean(losses))}))


if __name__ == "__main__":
    main()
