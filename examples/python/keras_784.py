# requires: keras (not packaged by Debian; the book shows this listing, CI does not run it)
# Article A's Keras model, corrected: x_train and y_train are loaded (the article uses them
# undefined), and the model has ONE hidden layer, Dense(128) — the article's text says two.
# Mirrors: backprop net examples/networks/keras-784.net describe
import keras

(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784) / 255.0

model = keras.Sequential([
    keras.Input(shape=(784,)),  # instead of input_shape=, which current Keras warns about
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
print(f"parameters = {model.count_params():.10g}")
model.fit(x_train, y_train, epochs=10)
