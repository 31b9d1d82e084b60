"""trotsky_edu: datasets, plots and exercises for a Jupyter curriculum on Leon Trotsky.

Public names are imported lazily, so ``import trotsky_edu`` stays fast and a lesson
pays for matplotlib or ipywidgets only when it first uses a plot or an exercise. Each such
import ends with ``gc.freeze()``: the libraries it loaded stay for the kernel's life, and
frozen they are no longer re-examined by every full garbage collection (objects made
afterwards are collected as usual).
"""

import gc
from importlib import import_module

_PUBLIC = {
    # datasets
    "load_events": "datasets",
    "load_people": "datasets",
    "load_places": "datasets",
    "load_place_names": "datasets",
    "load_residences": "datasets",
    "load_red_army": "datasets",
    "load_offices": "datasets",
    "load_factions": "datasets",
    "load_trials": "datasets",
    "load_sources": "datasets",
    "load_disagreements": "datasets",
    "list_datasets": "datasets",
    "describe": "datasets",
    # where the sources contradict each other
    "show_disagreement": "disagreement_view",
    # names of places at a date
    "place_name": "place_names",
    # calendar
    "format_dual": "calendar",
    "julian_to_gregorian": "calendar",
    "gregorian_to_julian": "calendar",
    # validation
    "validate_folder": "validate",
    # plots
    "plot_timeline": "plots",
    "plot_journey": "plots",
    "plot_army_strength": "plots",
    "plot_offices": "plots",
    "plot_alliances": "plots",
    "plot_fates": "plots",
    "describe_figure": "plots",
    "show_figure": "plots",
    "house_style": "plots",
    # exercises
    "exercise": "exercises.widgets",
    "self_check": "exercises.answer_key",
    "progress_widget": "exercises.progress_view",
    # the class report
    "report": "classreport",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'trotsky_edu' has no attribute {name!r}")
    value = getattr(import_module(f"trotsky_edu.{_PUBLIC[name]}"), name)
    globals()[name] = value
    # What the import loaded (matplotlib, pandas, ipywidgets and IPython's own objects: several hundred
    # thousand) lives as long as the kernel. Frozen, the garbage collector stops re-examining it at every
    # full collection, which in a lesson's kernel took about as long as drawing a chart.
    gc.freeze()
    return value


def __dir__() -> list[str]:
    return __all__
