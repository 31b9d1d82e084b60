/*
 * trotsky-edu: the course's exercises work with the keyboard alone in JupyterLab, and say what happened.
 *
 * JupyterLab's notebook binds single keys to commands while it is in command mode, with selectors
 * such as ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus": any focused element that
 * is not a text field. So on a radio button ArrowDown selects the next cell (and takes the focus
 * there) instead of choosing the next option, typing "M" into a drop-down turns the cell into
 * Markdown, and "D D" deletes it. ipywidgets keeps these keys away from its text boxes only.
 * Lumino, which runs the shortcuts, skips any element that carries data-lm-suppress-shortcuts;
 * a shortcut matches the focused element itself, so the attribute goes on each control.
 *
 * As widgets are drawn (and given their classes), this plugin
 * - puts that attribute on every control of an exercise (class trotsky-edu-exercise) and of the
 *   progress widget (class trotsky-edu-progress);
 * - makes the exercise's feedback, hint and notice areas (class trotsky-edu-live) polite live
 *   regions: they stay in place while the kernel replaces their text, so a screen reader reads
 *   each new message while the focus stays where it is;
 * - names the handle of an ipywidgets slider (role slider, drawn without a name) after the
 *   slider's visible label, as the explorer of lesson 03 needs.
 *
 * JupyterLab loads an extension as a module-federation container, window._JUPYTERLAB[name] with
 * init() and get(module). This plugin uses nothing from JupyterLab's shared modules, so the
 * container is these few lines rather than a webpack build.
 */
(function () {
  "use strict";

  var CONTROLS = [".trotsky-edu-exercise", ".trotsky-edu-progress"]
    .map(function (box) { return box + " :is(input, select, textarea, button)"; })
    .join(", ");
  var LIVE = ".trotsky-edu-live";
  var MARKED = ".trotsky-edu-exercise, .trotsky-edu-progress, " + LIVE;
  var UNNAMED_HANDLE = ".widget-slider [role=slider]:not([aria-label]):not([aria-labelledby])";
  var labels = 0;

  /* The elements matching selector in root, root itself included. */
  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches(selector)) {
      found.push(root);
    }
    return found;
  }

  function nameAfterLabel(handle) {
    var label = handle.closest(".widget-slider").querySelector(":scope > .widget-label");
    if (label === null || !label.textContent.trim()) {
      return;
    }
    if (!label.id) {
      labels += 1;
      label.id = "trotsky-edu-slider-label-" + labels;
    }
    handle.setAttribute("aria-labelledby", label.id);
  }

  function prepare(root) {
    within(root, CONTROLS).forEach(function (control) {
      control.setAttribute("data-lm-suppress-shortcuts", "true");
    });
    within(root, LIVE).forEach(function (region) {
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
    });
    within(root, UNNAMED_HANDLE).forEach(nameAfterLabel);
  }

  /* Widgets are drawn first and get their classes after, so a class that arrives counts as well. */
  function onChange(records) {
    records.forEach(function (record) {
      if (record.type === "attributes") {
        if (record.target.matches(MARKED)) {
          prepare(record.target);
        }
        return;
      }
      record.addedNodes.forEach(function (node) {
        if (node instanceof Element) {
          prepare(node);
        }
      });
    });
  }

  var plugin = {
    id: "trotsky-edu:exercise-keyboard",
    description: "Keeps notebook shortcuts off the exercise controls, announces their feedback, names sliders.",
    autoStart: true,
    activate: function () {
      prepare(document.body);
      new MutationObserver(onChange).observe(document.body, {
        childList: true, subtree: true, attributes: true, attributeFilter: ["class"]
      });
    }
  };

  var modules = { "./extension": { __esModule: true, default: plugin } };
  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB["trotsky-edu"] = {
    init: function () {
      return Promise.resolve();
    },
    get: function (module) {
      if (!(module in modules)) {
        return Promise.reject(new Error("trotsky-edu has no module " + module));
      }
      return Promise.resolve(function () {
        return modules[module];
      });
    }
  };
})();
