# Article D's single sigmoid unit, corrected. Its text minimises L = 1/(2m) Σ (h − y)², but its
# code sums the gradient over the m samples without the 1/m (m times too large); y must be a
# column (a 1-D y broadcasts y_hat - y to an m×m matrix); the weights start at zero so that the
# run can be repeated exactly.
# Mirrors: backprop net examples/networks/logistic-unit-squared.net train
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(s):
    return s * (1 - s)  # σ′ written with σ's output s = σ(z), as the article calls it


data = np.loadtxt("examples/networks/logistic_200.csv", delimiter=",", skiprows=1)
X, y = data[:, :2], data[:, 2:]  # y is m×1
m = len(y)
X = np.c_[X, np.ones((m, 1))]  # a column of ones: the bias is the last weight
theta = np.zeros((3, 1))
lr = 0.5

for epoch in range(1, 101):
    y_hat = sigmoid(np.dot(X, theta))
    loss = np.sum((y_hat - y) ** 2) / (2 * m)
    accuracy = np.mean((y_hat > 0.5) == (y > 0.5))
    grad = (y_hat - y) * sigmoid_derivative(y_hat)
    grad = np.dot(X.T, grad) / m  # the article leaves out / m
    theta = theta - lr * grad
    if epoch in (1, 100):
        print(f"loss at epoch {epoch} = {loss:.10g}")

print(f"accuracy = {accuracy:.10g}")
print(f"W1[0][0] = {theta[0, 0]:.10g}")
print(f"W1[0][1] = {theta[1, 0]:.10g}")
print(f"b1[0] = {theta[2, 0]:.10g}")
