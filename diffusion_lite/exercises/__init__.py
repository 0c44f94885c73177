"""Exercise checkers for the notebooks: one module per notebook (nbNN.py); solutions are never printed."""
