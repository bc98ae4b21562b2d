"""Three places where citeproc-py 0.11.1 departs from the CSL 1.0 specification, corrected.

Each correction replaces one method of citeproc-py's style model with a version that
follows the specification, and :func:`apply` installs them once. They matter for the
styles this project uses (APA 7th, NLM/Vancouver, Harvard):

1. *Substituted variables are suppressed in the rest of the output* (CSL 1.0.1,
   ``cs:substitute``). citeproc-py suppresses a substituted variable only when it is
   named directly in ``cs:substitute``; APA and Harvard substitute through a macro, so a
   web page without an author printed its title twice ("Title. (2021). Title. Site.").
   Here every variable the substitution actually rendered is suppressed.
2. *A localized date's parts are joined with the delimiter of the locale's date format*
   (CSL 1.0.1, "Localized Date Formats"). citeproc-py used the calling ``cs:date``'s
   delimiter (none), so NLM printed "[cited 2024Jan2]" for "[cited 2024 Jan 2]".
3. *Labels take ``text-case``* (CSL 1.0.1, ``cs:label``). citeproc-py skipped title case
   for labels (no language was passed), so APA printed "(ed.)" for "(Ed.)".

And one change that only saves time: citeproc-py looks a macro up by an XPath search of the style
every time it renders one (APA: about 100 searches a reference, 30 % of the time a reference takes);
:func:`_get_macro` remembers each style's macros by name. A style is never changed once loaded.
"""

from __future__ import annotations

from citeproc import model
from citeproc.source import VariableError

_rendered: list[set[tuple[str, str]]] = []  # (tag, variable) rendered while a substitution is tried
_applied = False


def _text_variable(original):
    def _variable(self, item, context):
        text = original(self, item, context)
        if _rendered and text:
            _rendered[-1].add((self.tag, self.get("variable")))
        return text

    return _variable


def _substitute_render(self, item, context=None, **kwargs):
    text = None
    for child in self.getchildren():
        _rendered.append(set())
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        finally:
            rendered = _rendered.pop()
        if text:
            self.add_to_repressed_list(child, context)
            repressed = context.get_layout().repressed
            for tag, variable in sorted(rendered):
                repressed.setdefault(tag, []).append(variable)
            break
    return text


def _locale_date_single(self, date, show_parts=None, context=None):
    parts = self.parts(date, show_parts, context) if context is not self else self.parts(date, show_parts)
    if not parts:
        return None
    if self.is_locale_date() and context is not None and "delimiter" not in context.attrib:
        return self.join(parts)  # the locale format's own delimiter
    return (context if self.is_locale_date() else self).join(parts)


def _label_markup(self, text):
    if not text:
        return None
    language = self.get_root().get("default-locale", "en")[:2]
    return self.wrap(self.format(self.case(self.strip_periods(text), language)))


_macros: dict[tuple[int, str], tuple[object, object]] = {}  # (id of a style's root, name) -> (root, macro)


def _get_macro(self, name):
    root = self.get_root()
    found = _macros.get((id(root), name))
    if found is None or found[0] is not root:  # the root is kept with its macro, so its id is never reused
        found = _macros[(id(root), name)] = (root, _original_get_macro(self, name))
    return found[1]


_original_get_macro = model.CitationStylesElement.get_macro


def apply() -> None:
    """Install the corrections (idempotent)."""
    global _applied
    if _applied:
        return
    model.Text._variable = _text_variable(model.Text._variable)
    model.Substitute.render = _substitute_render
    model.Date.render_single_date = _locale_date_single
    model.Label.markup = _label_markup
    model.CitationStylesElement.get_macro = _get_macro
    _applied = True
