"""A tiny computational graph: every node's forward value, every edge's local gradient, and backpropagation as
an ordered list of chain-rule steps you can read one at a time.

Lesson 06 writes one neuron with a squared-error loss as a graph of small operations::

    x1, w1 -> p1 = w1 * x1 ┐
    x2, w2 -> p2 = w2 * x2 ┼-> z = p1 + p2 + b -> a = sigmoid(z) -> e = a - t -> L = e * e
                        b ┘

Going forward, each node computes its value from its parents. Going backward, each node's gradient dL/dnode
is the sum, over the nodes it feeds, of (that node's gradient) x (the local gradient on the edge between them).
That sentence is the chain rule; repeating it node by node, from L back to the weights, is backpropagation.

Example:
    >>> graph = neuron_graph(x=[1.0, 2.0], weights=[0.5, -0.5], bias=0.0, target=1.0, activation="identity")
    >>> graph.value("z"), graph.value("L")        # z = 0.5*1 - 0.5*2 = -0.5;  L = (-0.5 - 1)^2 = 2.25
    (-0.5, 2.25)
    >>> steps = graph.backward()
    >>> graph.gradient("w1")                      # dL/dw1 = 2(a - t) * 1 * x1 = 2 * (-1.5) * 1
    -3.0
    >>> print(steps[2].formula())
    ∂L/∂a = ∂L/∂e × ∂e/∂a = -3 × 1 = -3
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .validation import as_float_array, unknown_name

__all__ = [
    "OPERATIONS",
    "BackwardStep",
    "Edge",
    "Graph",
    "Node",
    "Operation",
    "network_graph",
    "neuron_graph",
]


# ---------------------------------------------------------------------------------------------- operations
# Each operation returns its value AND its local gradients (d value / d each input), computed side by side.
def _multiply(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    return a * b, (b, a)  # the slope with respect to one factor is the other factor


def _add(*inputs: float) -> tuple[float, tuple[float, ...]]:
    return math.fsum(inputs), (1.0,) * len(inputs)  # a sum hands its gradient to every input unchanged


def _subtract(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    return a - b, (1.0, -1.0)


def _square(a: float) -> tuple[float, tuple[float, ...]]:
    return a * a, (2.0 * a,)


def _mean(*inputs: float) -> tuple[float, tuple[float, ...]]:
    n = len(inputs)
    return math.fsum(inputs) / n, (1.0 / n,) * n


def _identity(a: float) -> tuple[float, tuple[float, ...]]:
    return a, (1.0,)


def _sigmoid(a: float) -> tuple[float, tuple[float, ...]]:
    # exp of a negative number only, so a large |a| cannot overflow
    s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
    return s, (s * (1.0 - s),)


def _tanh(a: float) -> tuple[float, tuple[float, ...]]:
    t = math.tanh(a)
    return t, (1.0 - t * t,)


def _relu(a: float) -> tuple[float, tuple[float, ...]]:
    return max(a, 0.0), (1.0 if a > 0 else 0.0,)  # slope 0 at exactly 0, as nl.activations' relu


@dataclass(frozen=True)
class Operation:
    """One kind of node: a function returning (value, local gradients) and how a picture labels it.

    Shapes: none (scalars: compute(*inputs) -> (value, one local gradient per input)).

    Example:
        >>> multiply = OPERATIONS["multiply"]
        >>> multiply.symbol, multiply.compute(3.0, 2.0)     # 3 * 2 = 6; d/da = b = 2, d/db = a = 3
        ('×', (6.0, (2.0, 3.0)))
    """

    name: str
    symbol: str
    compute: Callable[..., tuple[float, tuple[float, ...]]]
    formula: str  # the local gradient in words, for the explorer's step text


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation("multiply", "×", _multiply, "d(a·b)/da = b"),
        Operation("add", "+", _add, "d(a+b+…)/da = 1"),
        Operation("subtract", "−", _subtract, "d(a−b)/da = 1, d(a−b)/db = −1"),
        Operation("square", "( )²", _square, "d(a²)/da = 2a"),
        Operation("mean", "mean", _mean, "d mean/da = 1/n"),
        Operation("identity", "id", _identity, "d a/da = 1"),
        Operation("sigmoid", "σ", _sigmoid, "dσ(a)/da = σ(a)(1 − σ(a))"),
        Operation("tanh", "tanh", _tanh, "d tanh(a)/da = 1 − tanh(a)²"),
        Operation("relu", "ReLU", _relu, "d relu(a)/da = 1 if a > 0 else 0"),
    )
}

ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
LEAF_ROLES = ("input", "parameter", "target")


# ----------------------------------------------------------------------------------------------- the graph
@dataclass
class Node:
    """One value in the graph: a leaf (an input, a parameter, the target) or the result of an operation.

    ``local_gradients[k]`` is d(this node)/d(parents[k]) at the current values; ``gradient`` is dL/d(this node),
    None until the backward pass has reached it (and always None for the target, which nothing can change).

    Shapes: none (value and gradient are single floats; one local gradient per parent).

    Example:
        >>> g = neuron_graph(x=[1.0, 2.0], weights=[0.5, -0.5], bias=0.0, target=1.0, activation="identity")
        >>> z = g.node("z")                                  # z = p1 + p2 + b = 0.5 - 1 + 0
        >>> z.operation, z.parents, z.value, z.local_gradients
        ('add', ('p1', 'p2', 'b'), -0.5, (1.0, 1.0, 1.0))
        >>> g.node("w1").is_leaf, g.node("t").needs_gradient
        (True, False)
    """

    name: str
    role: str  # 'input', 'parameter', 'target' (leaves) or 'operation'
    value: float
    operation: str | None = None
    parents: tuple[str, ...] = ()
    local_gradients: tuple[float, ...] = ()
    gradient: float | None = None

    @property
    def is_leaf(self) -> bool:
        """True for a leaf (an input, a parameter or the target): no operation computes it."""
        return self.operation is None

    @property
    def needs_gradient(self) -> bool:
        """False only for the target: nothing can change it, so it gets no gradient."""
        return self.role != "target"


@dataclass(frozen=True)
class Edge:
    """parent -> child, carrying the local gradient d child / d parent (``slot``: which input of the child).

    Shapes: none (local_gradient is one float).

    Example:
        >>> g = neuron_graph(x=[3.0, 2.0], weights=[0.5, -0.5], bias=0.0, target=1.0, activation="identity")
        >>> g.edges()[0]               # p1 = w1 * x1, so d p1 / d w1 = x1 = 3
        Edge(parent='w1', child='p1', slot=0, local_gradient=3.0)
    """

    parent: str
    child: str
    slot: int
    local_gradient: float


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass: the node reached and how its gradient was put together.

    ``terms`` holds one (child, dL/dchild, dchild/dnode) triple per node this one feeds; the gradient is the sum
    of their products (the chain rule). The loss itself starts the walk with gradient 1 and no terms.

    Shapes: none (gradient is one float; one term per child).

    Example:
        >>> g = neuron_graph(x=[1.0, 2.0], weights=[0.5, -0.5], bias=0.0, target=1.0, activation="identity")
        >>> steps = g.backward()
        >>> steps[0]
        BackwardStep(node='L', gradient=1.0, terms=())
        >>> steps[1]                   # e = a - t = -1.5 and L = e^2, so dL/de = 1 * 2e = -3
        BackwardStep(node='e', gradient=-3.0, terms=(('L', 1.0, -3.0),))
    """

    node: str
    gradient: float
    terms: tuple[tuple[str, float, float], ...]

    def formula(self, digits: int = 3) -> str:
        """The step as arithmetic, e.g. '∂L/∂z = ∂L/∂a × ∂a/∂z = 0.42 × 0.235 = 0.0987'."""
        def fmt(v: float, wrap: bool = False) -> str:
            text = f"{v:.{digits}g}"
            return f"({text})" if wrap and text.startswith("-") else text  # "× (-0.5)", not "× -0.5"

        if not self.terms:
            return f"∂L/∂{self.node} = 1   (the walk starts at the loss: L changes one for one with itself)"
        symbols = " + ".join(f"∂L/∂{child} × ∂{child}/∂{self.node}" for child, _, _ in self.terms)
        numbers = " + ".join(f"{fmt(g, k > 0)} × {fmt(local, True)}" for k, (_, g, local) in enumerate(self.terms))
        return f"∂L/∂{self.node} = {symbols} = {numbers} = {fmt(self.gradient)}"


class Graph:
    """A small computational graph of scalar nodes, kept in the order they were added (parents first).

    Build it with ``leaf`` and ``apply``; change a leaf with ``set_value``; ``backward()`` fills every node's
    ``gradient`` and returns the steps in the order it took them.

    Shapes: every node holds one float.

    Example:
        >>> g = Graph()
        >>> x, w = g.leaf("x", 3.0), g.leaf("w", 2.0, role="parameter")
        >>> y = g.apply("multiply", x, w, name="y")
        >>> L = g.apply("square", y, name="L")          # L = (w x)^2 = 36
        >>> [step.node for step in g.backward()]
        ['L', 'y', 'x', 'w']
        >>> g.gradient("w")                             # dL/dw = 2 y * x = 2*6*3
        36.0
    """

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.steps: list[BackwardStep] = []
        # "layer1.weights" -> array of node names shaped like that parameter (set by the builders below)
        self.parameter_names: dict[str, np.ndarray] = {}

    # ----------------------------------------------------------------- building
    def leaf(self, name: str, value: float, role: str = "input") -> str:
        """Add a leaf (no parents): an 'input', a learnable 'parameter' or the 'target'. Returns its name."""
        if role not in LEAF_ROLES:
            raise unknown_name("leaf role", role, LEAF_ROLES)
        self._check_new_name(name)
        self.nodes[name] = Node(name, role, _scalar(value, name))
        return name

    def apply(self, operation: str, *parents: str, name: str) -> str:
        """Add a node computing ``operation`` of earlier nodes, e.g. ``apply("multiply", "x1", "w1", name="p1")``."""
        if operation not in OPERATIONS:
            raise unknown_name("operation", operation, OPERATIONS)
        self._check_new_name(name)
        for parent in parents:
            if parent not in self.nodes:
                raise ValueError(f"Node {name!r} uses {parent!r}, which is not in the graph yet: add it first.")
        node = Node(name, "operation", 0.0, operation=operation, parents=tuple(parents))
        self.nodes[name] = node
        self._compute(node)
        return name

    def _check_new_name(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"A node's name must be a non-empty string, but got {name!r}.")
        if name in self.nodes:
            raise ValueError(f"The graph already has a node called {name!r}; give each node its own name.")

    def _compute(self, node: Node) -> None:
        inputs = [self.nodes[p].value for p in node.parents]
        value, local = OPERATIONS[node.operation].compute(*inputs)
        node.value, node.local_gradients = float(value), tuple(float(g) for g in local)

    # ----------------------------------------------------------------- forward
    def set_value(self, name: str, value: float) -> None:
        """Change a leaf's value and recompute every node after it (gradients are cleared)."""
        node = self.node(name)
        if not node.is_leaf:
            raise ValueError(f"{name!r} is computed by {node.operation}; only leaves can be set: "
                             f"{self.leaves()}.")
        node.value = _scalar(value, name)
        self.forward()

    def update(self, values: Mapping[str, float]) -> None:
        """Set several leaves at once, then recompute."""
        for name, value in values.items():
            node = self.node(name)
            if not node.is_leaf:
                raise ValueError(f"{name!r} is computed by {node.operation}; only leaves can be set.")
            node.value = _scalar(value, name)
        self.forward()

    def forward(self, overrides: Mapping[str, float] | None = None) -> float:
        """Recompute every operation in order and return the loss; clears the gradients.

        ``overrides`` holds some nodes fixed at given values for this pass (used to nudge an inner node when
        checking its gradient by finite differences); they are not kept.
        """
        overrides = overrides or {}
        saved = {}
        for node in self.nodes.values():
            node.gradient = None
            if node.name in overrides:
                saved[node.name] = node.value
                node.value = float(overrides[node.name])
            elif not node.is_leaf:
                self._compute(node)
        loss = self.loss
        for name, value in saved.items():  # put the held nodes back, then recompute the rest cleanly
            self.nodes[name].value = value
        if saved:
            for node in self.nodes.values():
                if not node.is_leaf:
                    self._compute(node)
        self.steps = []
        return loss

    # ----------------------------------------------------------------- backward
    def backward(self) -> list[BackwardStep]:
        """Backpropagation: give every node its gradient dL/dnode, last node first. Returns the steps taken.

        Each node's gradient is the sum over its children of dL/dchild × dchild/dnode, so a node is visited only
        after every node it feeds: the order is by column of the picture, right to left.
        """
        for node in self.nodes.values():
            node.gradient = None
        children = self.children_map()
        steps = []
        for name in self.backward_order():
            node = self.nodes[name]
            if name == self.loss_name:
                node.gradient, terms = 1.0, ()
            else:
                terms = tuple(
                    (edge.child, self.nodes[edge.child].gradient, edge.local_gradient)
                    for edge in children[name]
                    if self.nodes[edge.child].gradient is not None
                )
                node.gradient = math.fsum(g * local for _, g, local in terms)
            steps.append(BackwardStep(name, node.gradient, terms))
        self.steps = steps
        return steps

    def backward_order(self) -> list[str]:
        """The order backpropagation visits the nodes: column by column from the loss leftwards, top to bottom
        within a column (as ``positions`` places them). Every node comes after all the nodes it feeds, which is
        all the chain rule needs. The target is skipped: nothing can change it."""
        places = self.positions()
        names = [n for n, node in self.nodes.items() if node.needs_gradient]
        return sorted(names, key=lambda n: (-places[n][0], places[n][1]))

    # ----------------------------------------------------------------- reading
    def node(self, name: str) -> Node:
        """The node called ``name``; an unknown name lists the nodes there are."""
        if name not in self.nodes:
            raise unknown_name("node", name, self.nodes)
        return self.nodes[name]

    def value(self, name: str) -> float:
        """The node's forward value."""
        return self.node(name).value

    def gradient(self, name: str) -> float:
        """dL/d(node). Runs ``backward()`` first if it has not run since the last change."""
        node = self.node(name)
        if not node.needs_gradient:
            raise ValueError(f"{name!r} is the target: the answer is given, so it has no gradient to follow.")
        if node.gradient is None:
            self.backward()
        return node.gradient

    def values(self) -> dict[str, float]:
        """Name -> forward value, for every node."""
        return {name: node.value for name, node in self.nodes.items()}

    def gradients(self) -> dict[str, float]:
        """Name -> dL/d(node), for every node that has one (runs ``backward()`` if needed)."""
        if not self.steps:
            self.backward()
        return {name: node.gradient for name, node in self.nodes.items() if node.gradient is not None}

    def leaves(self, role: str | None = None) -> list[str]:
        """Names of the leaves (optionally of one role: 'input', 'parameter', 'target')."""
        return [n for n, node in self.nodes.items() if node.is_leaf and (role is None or node.role == role)]

    @property
    def loss_name(self) -> str:
        """The last node added: the loss, where the backward pass starts."""
        if not self.nodes:
            raise ValueError("The graph is empty: add leaves and operations first.")
        return next(reversed(self.nodes))

    @property
    def loss(self) -> float:
        """The value of the loss node."""
        return self.nodes[self.loss_name].value

    def edges(self) -> list[Edge]:
        """Every parent -> child edge with its local gradient, in the order the children were added."""
        return [
            Edge(parent, node.name, slot, node.local_gradients[slot])
            for node in self.nodes.values()
            for slot, parent in enumerate(node.parents)
        ]

    def children_map(self) -> dict[str, list[Edge]]:
        """Name -> the edges leaving that node (towards the loss)."""
        children: dict[str, list[Edge]] = {name: [] for name in self.nodes}
        for edge in self.edges():
            children[edge.parent].append(edge)
        return children

    def columns(self) -> dict[str, int]:
        """Column of each node in a left-to-right picture: an operation sits one right of its furthest parent;
        a leaf sits just left of the first node it feeds (so the bias joins late, next to the sum it enters)."""
        columns: dict[str, int] = {}
        for name, node in self.nodes.items():
            if not node.is_leaf:
                columns[name] = 1 + max((columns[p] for p in node.parents if not self.nodes[p].is_leaf), default=0)
        children = self.children_map()
        for name, node in self.nodes.items():
            if node.is_leaf:
                fed = [columns[e.child] for e in children[name]]
                columns[name] = min(fed) - 1 if fed else 0
        return columns

    def positions(self, gap: float = 1.0) -> dict[str, tuple[int, float]]:
        """(column, row) of each node for a picture read left to right, rows growing downwards.

        Leaves of the first column are stacked in the order a walk back from the loss meets them (so a weight
        sits next to its input); an operation sits level with the mean of its parents; a leaf joining later (a
        bias, the target) sits level with the operation it feeds. Nodes of a column are then spread ``gap``
        apart.
        """
        columns = self.columns()
        first = [n for n in self._walk_from_loss() if columns[n] == 0 and self.nodes[n].is_leaf]
        rows: dict[str, float] = {name: float(k) * gap for k, name in enumerate(first)}
        children = self.children_map()

        def late_leaf(name: str) -> bool:
            return self.nodes[name].is_leaf and columns[name] > 0

        def level(parents: Iterable[str], known: Mapping[str, float]) -> float:
            placed = [known[p] for p in parents if p in known and not late_leaf(p)]
            return float(np.mean(placed)) if placed else 0.0

        for column in range(1, max(columns.values(), default=0) + 1):
            names = [n for n in self.nodes if columns[n] == column]
            wanted = {n: level(self.nodes[n].parents, rows) for n in names if not self.nodes[n].is_leaf}
            for name in names:
                if self.nodes[name].is_leaf:  # level with the operation it feeds, judged by that one's parents
                    child = self.nodes[children[name][0].child]
                    wanted[name] = level(child.parents, {**rows, **wanted})
            # sort by wanted row (operations above leaves on a tie), then push apart to at least `gap`
            order = sorted(names, key=lambda n: (wanted[n], self.nodes[n].is_leaf))
            previous = -math.inf
            for name in order:
                rows[name] = max(wanted[name], previous + gap)
                previous = rows[name]
        return {name: (columns[name], rows[name]) for name in self.nodes}

    def _walk_from_loss(self) -> list[str]:
        """Every node in the order a depth-first walk from the loss back through parents first meets it."""
        seen: list[str] = []
        stack = [self.loss_name]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.append(name)
            stack.extend(reversed(self.nodes[name].parents))
        return seen + [n for n in self.nodes if n not in seen]

    # ----------------------------------------------------------------- checking
    def numerical_gradient(self, name: str, h: float = 1e-6) -> float:
        """dL/d(node) by central differences: hold the node at value ± h, recompute what follows, compare losses.

        Works for inner nodes too (their value is held, not their inputs changed), so every gradient of the
        backward pass can be checked against the definition of a derivative.
        """
        value = self.value(name)
        plus = self.forward({name: value + h})
        minus = self.forward({name: value - h})
        return (plus - minus) / (2.0 * h)

    def check_gradients(self, h: float = 1e-6) -> dict[str, tuple[float, float]]:
        """Name -> (backprop gradient, finite-difference gradient) for every node that has a gradient."""
        numeric = {name: self.numerical_gradient(name, h) for name in self.backward_order()}
        self.backward()
        return {name: (self.nodes[name].gradient, numeric[name]) for name in numeric}

    def gradient_table(self, h: float = 1e-6, digits: int = 4) -> str:
        """A printable table: each node's value, its gradient by backprop and by finite differences, and the gap."""
        rows = [f"{'node':>10} {'value':>10} {'backprop':>11} {'finite diff':>12} {'|difference|':>13}"]
        for name, (grad, numeric) in self.check_gradients(h).items():
            rows.append(f"{name:>10} {self.value(name):>10.{digits}f} {grad:>11.{digits}f} {numeric:>12.{digits}f} "
                        f"{abs(grad - numeric):>13.1e}")
        return _Text("\n".join(rows))

    def gradients_by_parameter(self) -> dict[str, np.ndarray]:
        """The parameter gradients arranged like a model's: {'layer1.weights': (n_in, n_out) array, ...}.

        Only for graphs made by ``neuron_graph`` or ``network_graph``, which record where each weight sits.
        """
        if not self.parameter_names:
            raise ValueError("This graph does not say which node is which model parameter; build it with "
                             "neuron_graph(...) or network_graph(model, x, target).")
        grads = self.gradients()
        return {key: np.vectorize(grads.__getitem__, otypes=[float])(names)
                for key, names in self.parameter_names.items()}

    def __repr__(self) -> str:
        return f"Graph({len(self.nodes)} nodes, loss {self.loss_name} = {self.loss:.4g})"


class _Text(str):
    def __repr__(self) -> str:  # a notebook shows the table, not a quoted string
        return str(self)


def _scalar(value: Any, name: str) -> float:
    array = as_float_array(value, name)
    if array.size != 1:
        raise ValueError(f"Each node holds one number, but {name!r} got {array.size} values ({array.shape}).")
    return float(array.reshape(()))


# --------------------------------------------------------------------------------------------------- builders
def neuron_graph(
    x: Iterable[float] = (1.5, -0.5),
    weights: Iterable[float] = (0.4, 0.6),
    bias: float = -0.2,
    target: float = 1.0,
    activation: str = "sigmoid",
) -> Graph:
    """One neuron with two inputs and a squared-error loss, one operation per node.

    p1 = w1 x1, p2 = w2 x2, z = p1 + p2 + b, a = activation(z), e = a - t, L = e².
    The same numbers as ``nl.Dense(2, 1, activation)`` with weights [[w1], [w2]], bias [b] and the 'mse' loss
    on the single sample x with target t.

    Shapes: x (2,), weights (2,), bias and target scalars.

    Example:
        >>> g = neuron_graph(x=[2.0, 1.0], weights=[1.5, -1.0], bias=0.5, target=1.0, activation="relu")
        >>> g.value("z"), g.value("L")      # z = 3 - 1 + 0.5 = 2.5;  L = (2.5 - 1)^2 = 2.25
        (2.5, 2.25)
        >>> g.gradient("w1")                 # 2(a - t) * 1 * x1 = 3 * 2
        6.0
    """
    x = _vector(x, "x", 2)
    weights = _vector(weights, "weights", 2)
    activation = _check_activation(activation)
    g = Graph()
    for i in (1, 2):
        g.leaf(f"x{i}", x[i - 1], role="input")
        g.leaf(f"w{i}", weights[i - 1], role="parameter")
    g.leaf("b", bias, role="parameter")
    g.leaf("t", target, role="target")
    g.apply("multiply", "w1", "x1", name="p1")
    g.apply("multiply", "w2", "x2", name="p2")
    g.apply("add", "p1", "p2", "b", name="z")
    g.apply(activation, "z", name="a")
    g.apply("subtract", "a", "t", name="e")
    g.apply("square", "e", name="L")
    g.parameter_names = {"layer1.weights": np.array([["w1"], ["w2"]]), "layer1.bias": np.array(["b"])}
    return g


def network_graph(model: Any, x: Iterable[float], target: Iterable[float] | float) -> Graph:
    """The graph of a small Dense network on ONE sample with the 'mse' loss, one multiplication per weight.

    Node names: inputs ``x1, x2, ...``; in layer k, weight ``w{k}[i,j]`` (``layers[k-1].weights[i-1, j-1]``),
    product ``p{k}[i,j]``, bias ``b{k}[j]``, sum ``z{k}[j]``, output ``a{k}[j]``; targets ``t1, ...``; the
    loss ``L`` (with several outputs: errors ``e1...``, squares ``s1...`` and their mean).

    Shapes: x (n_inputs,); target (n_outputs,) or a number for one output.

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 2, "tanh"), nl.Dense(2, 1, "sigmoid")], seed=0)
        >>> g = network_graph(model, [0.5, -1.0], 1.0)
        >>> len(g.nodes), g.gradients_by_parameter()["layer1.weights"].shape
        (26, (2, 2))
    """
    layers = list(getattr(model, "layers", model if isinstance(model, (list, tuple)) else [model]))
    for k, layer in enumerate(layers, start=1):
        if not hasattr(layer, "weights") or np.ndim(getattr(layer, "weights")) != 2:
            raise ValueError(f"network_graph draws Dense layers only, but layer {k} is {type(layer).__name__}.")
        _check_activation(layer.activation.name)
    n_inputs = layers[0].weights.shape[0]
    x = _vector(x, "x", n_inputs)
    target = _vector(target, "target", layers[-1].weights.shape[1])
    g = Graph()
    previous = [g.leaf(f"x{i + 1}", x[i], role="input") for i in range(n_inputs)]
    for k, layer in enumerate(layers, start=1):
        n_in, n_out = layer.weights.shape
        weight_names = np.empty((n_in, n_out), dtype=object)
        bias_names = np.empty(n_out, dtype=object)
        current = []
        for j in range(n_out):
            products = []
            for i in range(n_in):
                weight_names[i, j] = g.leaf(f"w{k}[{i + 1},{j + 1}]", layer.weights[i, j], role="parameter")
                products.append(g.apply("multiply", weight_names[i, j], previous[i], name=f"p{k}[{i + 1},{j + 1}]"))
            bias_names[j] = g.leaf(f"b{k}[{j + 1}]", layer.bias[j], role="parameter")
            z = g.apply("add", *products, bias_names[j], name=f"z{k}[{j + 1}]")
            current.append(g.apply(layer.activation.name, z, name=f"a{k}[{j + 1}]"))
        g.parameter_names[f"layer{k}.weights"] = weight_names.astype(str)
        g.parameter_names[f"layer{k}.bias"] = bias_names.astype(str)
        previous = current
    if len(previous) == 1:  # the same loss as the neuron: L = (a - t)^2
        g.leaf("t", target[0], role="target")
        g.apply("subtract", previous[0], "t", name="e")
        g.apply("square", "e", name="L")
        return g
    squares = []
    for j, output in enumerate(previous, start=1):  # mse averages the squared errors over the outputs
        g.leaf(f"t{j}", target[j - 1], role="target")
        g.apply("subtract", output, f"t{j}", name=f"e{j}")
        squares.append(g.apply("square", f"e{j}", name=f"s{j}"))
    g.apply("mean", *squares, name="L")
    return g


def _vector(values: Any, name: str, size: int) -> np.ndarray:
    array = as_float_array(values, name).reshape(-1)
    if array.size != size:
        raise ValueError(f"{name} must hold {size} number{'s' if size > 1 else ''} (one sample), but got "
                         f"{array.size}. For one row of a batch use x[0].")
    return array


def _check_activation(name: str) -> str:
    if name not in ACTIVATIONS:
        raise unknown_name("activation for the graph", name, ACTIVATIONS)
    return name

