"""`make report`: the NLU evaluation (held-out file and cross-validation) and the story tests in
one self-contained HTML page for conversation designers and analysts."""
