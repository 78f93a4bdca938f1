# Article B's two-layer network without biases, corrected. The article's text uses the squared
# error, but its code sets delta2 = y_pred - y, the output error of the cross-entropy; for the
# squared error the output error keeps the sigmoid's slope. Column vectors throughout (with 1-D
# arrays, np.dot(delta2, h.T) is a scalar, not the 1×2 gradient of w2).
# Mirrors: backprop net examples/networks/article-b-squared.net grad
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def backpropagation(x, y, w1, w2):
    # Forward pass
    h = sigmoid(np.dot(w1, x))
    y_pred = sigmoid(np.dot(w2, h))
    loss = 0.5 * np.sum((y_pred - y) ** 2)  # E = ½ (ŷ − y)²

    # Error terms δ = ∂E/∂z
    delta2 = (y_pred - y) * y_pred * (1 - y_pred)  # the article: y_pred - y
    delta1 = np.dot(w2.T, delta2) * h * (1 - h)

    # Gradients ∂E/∂w = δ · (the layer's input)ᵀ
    grad_w2 = np.dot(delta2, h.T)
    grad_w1 = np.dot(delta1, x.T)
    return loss, grad_w1, grad_w2


x = np.array([[0.05], [0.10]])  # a column: 2×1
y = np.array([[0.99]])
w1 = np.array([[0.15, 0.20], [0.25, 0.30]])  # w1[j][k]: from input k to hidden unit j
w2 = np.array([[0.40, 0.45]])
loss, grad_w1, grad_w2 = backpropagation(x, y, w1, w2)

print(f"E = {loss:.10g}")
for name, g in [("W1", grad_w1), ("W2", grad_w2)]:
    for (j, k), v in np.ndenumerate(g):
        print(f"dE/d{name}[{j}][{k}] = {v:.10g}")
