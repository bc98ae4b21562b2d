"""livingreview: reproducible, notebook-based living literature reviews.

The data flow is one direction only::

    load -> validate -> select -> tabulate -> render

``livingreview.load()`` is the entry point for notebooks; it returns a validated
:class:`~livingreview.review.Review`. A report notebook selects its works with the values its
``parameters`` cell set::

    review = livingreview.load()
    sel = review.select(review.parameters(globals()))
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("livingreview")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"


def load(root=None, *, sources=None, retractions=None):
    """Load and validate the review at *root* (default: the project containing the cwd)."""
    from .review import load as _load

    return _load(root, sources=sources, retractions=retractions)


def __getattr__(name):
    if name == "parameters":  # the notebook API before a review's parameters came from its vocabulary
        raise AttributeError("livingreview.parameters(globals()) is now review.parameters(globals()): a review's "
                             "report parameters come from its vocabulary, so ask the loaded review "
                             "(review = livingreview.load())")
    raise AttributeError(f"module 'livingreview' has no attribute {name!r}")


__all__ = ["load", "__version__"]
