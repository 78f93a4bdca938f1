# Reverse mode from scratch, in the manner of micrograd: each value remembers the values it was
# made from and the local derivative with respect to each; backward() visits the graph once,
# from the output back, and adds upstream gradient × local derivative into every input.
# Mirrors: backprop grad "sigmoid(w0*x0 + w1*x1 + w2)" --at w0=2,x0=-1,w1=-3,x1=-2,w2=-3
import math


class Value:
    def __init__(self, data, parents=()):
        self.data = data
        self.grad = 0.0
        self.parents = parents  # pairs (input value, ∂self/∂input)

    def __add__(self, other):
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        return Value(s, ((self, s * (1.0 - s)),))

    def backward(self):
        # Topological order: every node after the nodes it was made from.
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for parent, _ in v.parents:
                    visit(parent)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):  # from the output back: each edge crossed once
            for parent, local in v.parents:
                parent.grad += v.grad * local


w0, x0, w1, x1, w2 = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
f = (w0 * x0 + w1 * x1 + w2).sigmoid()
f.backward()

print(f"f = {f.data:.10g}")
for name, v in [("w0", w0), ("x0", x0), ("w1", w1), ("x1", x1), ("w2", w2)]:
    print(f"df/d{name} = {v.grad:.10g}")
