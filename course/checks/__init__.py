"""Public checks, one module per assignment topic; each registers its problems with
:func:`course.checks.toolkit.problem` as it is imported, which importing this package does."""
from . import backprop, learning_rate, logistic, loss_functions, matrix_weights, optimizers, parabola, stochastic

#: The topic modules, alphabetically.
TOPICS = (backprop, learning_rate, logistic, loss_functions, matrix_weights, optimizers, parabola, stochastic)
