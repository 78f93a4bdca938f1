# requires: keras (not packaged by Debian; the book shows this listing, CI does not run it)
# Article C's Keras model, corrected: labels with a pattern to learn (the article's random labels
# teach nothing), and SGD(learning_rate=...) — current Keras rejects the article's SGD(lr=...).
# Mirrors: backprop net examples/networks/binary-20-10-1.net train
import keras
import numpy as np

rng = np.random.default_rng(1)
X = rng.normal(size=(1000, 20))
w_true = rng.normal(size=20)
y = (X @ w_true + rng.logistic(size=1000) > 0).astype("float32")

model = keras.Sequential([
    keras.Input(shape=(20,)),
    keras.layers.Dense(10, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.01), metrics=["accuracy"])
print(f"parameters = {model.count_params():.10g}")
model.fit(X, y, epochs=10, batch_size=32)
