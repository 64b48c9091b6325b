"""HTML from Jinja2 templates (``templates/``): one Environment, autoescaping on, undefined names an error.

Text from the data and the catalogues is escaped by the templates; what a template renders is ``Markup``
and is not escaped again when it is placed in another. The only markup that enters unescaped from
elsewhere is a chart's SVG (``report.prepare_svg``), which matplotlib writes from the chart's own
labels, escaping them as XML, and which is parsed and serialised again before it is placed.
"""

from __future__ import annotations

from functools import cache

import jinja2
import markupsafe

from . import paths

Markup = markupsafe.Markup


@cache
def environment() -> jinja2.Environment:
    """The one template environment of the package."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, /, **values: object) -> Markup:
    """A template of ``templates/parts/`` (``template`` without ``.html.j2``) rendered with ``values``."""
    html = environment().get_template(f"parts/{template}.html.j2").render(**values)
    return Markup(html.strip())


@cache
def _inline():
    return environment().get_template("parts/inline.html.j2").module


def inline_macro(macro: str, *args: object) -> Markup:
    """A small inline piece (``quote``, ``zh``, ``cite`` …), a macro of ``templates/parts/inline.html.j2``."""
    return Markup(str(getattr(_inline(), macro)(*args)).strip())


inline = inline_macro
"""HTML-only pages (the explorer) call the macros directly; briefings build ``document.Rich`` runs."""
