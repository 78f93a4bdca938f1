# Article E's linear regression, as its readers would write it in numpy. The article gives the
# gradient as Σ (y − ŷ)·x: that is the opposite sign and lacks 2/n, so stepping against it climbs
# the loss. Below, the gradient of the mean squared error itself.
# Mirrors: backprop net examples/networks/linear-regression.net train
import numpy as np

data = np.loadtxt("examples/networks/linear_100.csv", delimiter=",", skiprows=1)
x, y = data[:, 0], data[:, 1]
n = len(x)
w, b, lr = 0.0, 0.0, 0.1

for epoch in range(1, 101):
    y_hat = w * x + b
    loss = np.mean((y_hat - y) ** 2)             # MSE = (1/n) Σ (ŷ − y)²
    grad_w = 2 / n * np.sum((y_hat - y) * x)     # ∂MSE/∂w = (2/n) Σ (ŷ − y)·x
    grad_b = 2 / n * np.sum(y_hat - y)           # ∂MSE/∂b = (2/n) Σ (ŷ − y)
    w -= lr * grad_w
    b -= lr * grad_b
    if epoch in (1, 100):
        print(f"loss at epoch {epoch} = {loss:.10g}")

print(f"W1[0][0] = {w:.10g}")
print(f"b1[0] = {b:.10g}")
