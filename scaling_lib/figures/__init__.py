"""The book's figures: one module per chapter, each a set of functions that return a matplotlib
``Figure`` in the house style (:mod:`scaling_lib.plotting`).

This layer sits between the math and the explorers: a figure function takes results of the math
layer (fits, laws, tables) and draws them; chapters call it for their static figures and explorers
call it to draw their live ones, so a figure is written once. Nothing here computes a result that
a chapter's prose relies on — that belongs to the math layer, where it is tested.
"""
