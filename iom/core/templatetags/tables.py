"""The one table component: GOV.UK table markup, written once.

    {% load tables %}
    {% table people as person caption="People on your caseload" caption_size="m"
       columns="Name:ascending|Date of birth:sortable|Records:numeric"
       empty="There is nobody on your caseload yet." %}
      {% cell header sort=person.surname %}<a href="...">{{ person.full_name }}</a>{% endcell %}
      {% cell nowrap %}{{ person.date_of_birth|govuk_short_date }}{% endcell %}
      {% cell numeric %}{{ person.records }}{% endcell %}
    {% endtable %}

The body is rendered once per row inside ``<tr class="govuk-table__row">``. Columns
are ``|``-separated labels, each with optional flags after a colon: ``numeric``
(right-aligned), ``sortable`` or ``ascending``/``descending`` (MoJ sortable table,
the table then sorts in the browser, the column marked as the current order),
``hidden`` (the label only for screen readers). With no rows the ``empty`` message
is shown as a paragraph instead of the table; ``empty=""`` shows an empty table.
``columns`` may instead be a list of ``Column`` built in the view, for labels taken
from data. Other options: ``classes`` (extra classes on the table), ``caption_size`` (s, m or l;
default m), ``caption_detail`` (a smaller line under the caption), ``caption_hidden``
(a caption only for screen readers), ``id``, and the flag ``wide`` for a table that may
not fit a phone: it then scrolls sideways inside its own focusable box. Every table
sits in a box that scrolls rather than letting the page scroll sideways.

A cell takes ``numeric``, ``header`` (a row header, ``<th scope="row">``),
``nowrap``, ``sort=value`` (the value MoJ's sortable table sorts by), ``colspan=n``
and ``classes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SORT_FLAGS = {"sortable": "none", "ascending": "ascending", "descending": "descending"}


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    sort: str | None = None  # aria-sort: none, ascending, descending
    hidden: bool = False


def parse_columns(spec: str) -> list[Column]:
    columns = []
    for part in spec.split("|"):
        label, _, flags = part.strip().partition(":")
        names = {f.strip() for f in flags.split(",") if f.strip()}
        unknown = names - {"numeric", "hidden", *SORT_FLAGS}
        if unknown:
            raise template.TemplateSyntaxError(f"Unknown column flag {sorted(unknown)} in {part!r}")
        sort = next((SORT_FLAGS[n] for n in names if n in SORT_FLAGS), None)
        columns.append(Column(label.strip(), "numeric" in names, sort, "hidden" in names))
    return columns


def columns_of(value: object) -> list[Column]:
    """The ``columns`` option: a ``|``-separated spec, or a list of ``Column`` (for labels
    that come from data and may hold ``|`` or ``:``, such as a policy's name)."""
    if isinstance(value, (list, tuple)):
        return [c if isinstance(c, Column) else parse_columns(str(c))[0] for c in value]
    return parse_columns(str(value))


def _options(parser: Parser, bits: list[str]) -> tuple[set[str], dict[str, FilterExpression]]:
    flags: set[str] = set()
    values: dict[str, FilterExpression] = {}
    for bit in bits:
        name, equals, value = bit.partition("=")
        if equals:
            values[name] = parser.compile_filter(value)
        else:
            flags.add(name)
    return flags, values


class TableNode(template.Node):
    def __init__(self, rows: FilterExpression, name: str, flags: set[str],
                 values: dict[str, FilterExpression], body: NodeList) -> None:
        self.rows, self.name, self.flags, self.values, self.body = rows, name, flags, values, body

    def _value(self, context: template.Context, key: str, default: Any = "") -> Any:
        found = self.values.get(key)
        return found.resolve(context) if found is not None else default

    def render(self, context: template.Context) -> str:
        rows = list(self.rows.resolve(context) or [])
        empty = self._value(context, "empty", None)
        if not rows and empty:
            return format_html('<p class="govuk-body">{}</p>', empty)
        columns = columns_of(self._value(context, "columns"))
        body = []
        with context.push():
            for row in rows:
                context[self.name] = row
                body.append(format_html('<tr class="govuk-table__row">{}</tr>',
                                        self.body.render(context)))
        return format_html(
            '<div class="iom-table-wrap"{}><table class="govuk-table{}"{}{}>{}'
            '<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>'
            '<tbody class="govuk-table__body">{}</tbody></table></div>',
            self._scroll(context),
            _classes(self._value(context, "classes")),
            mark_safe(' data-module="moj-sortable-table"')
            if any(c.sort for c in columns) else "",
            format_html(' id="{}"', self._value(context, "id")) if "id" in self.values else "",
            self._caption(context), format_html_join("", "{}", ((_header(c),) for c in columns)),
            mark_safe("".join(body)))  # noqa: S308 - each row built by format_html

    def _scroll(self, context: template.Context) -> SafeString | str:
        """A wide table scrolls inside its own box on a small screen (WCAG 2.2 reflow
        lets a data table do so), which a keyboard user can focus to scroll."""
        if "wide" not in self.flags:
            return ""
        return format_html(' tabindex="0" role="region" aria-label="{}"',
                           self._value(context, "caption") or "Table")

    def _caption(self, context: template.Context) -> SafeString | str:
        caption = self._value(context, "caption")
        if not caption:
            return ""
        size = self._value(context, "caption_size", "m")
        hidden = " govuk-visually-hidden" if "caption_hidden" in self.flags else ""
        detail = self._value(context, "caption_detail")
        return format_html('<caption class="govuk-table__caption govuk-table__caption--{}{}">'
                           "{}{}</caption>", size, hidden, caption,
                           format_html('<span class="govuk-caption-m">{}</span>', detail)
                           if detail else "")


def _classes(extra: object) -> str:
    return f" {extra}" if extra else ""


def _header(column: Column) -> SafeString:
    classes = "govuk-table__header" + (" govuk-table__header--numeric" if column.numeric else "")
    label = (format_html('<span class="govuk-visually-hidden">{}</span>', column.label)
             if column.hidden else column.label)
    sort = format_html(' aria-sort="{}"', column.sort) if column.sort else ""
    return format_html('<th scope="col" class="{}"{}>{}</th>', classes, sort, label)


@register.tag("table")
def do_table(parser: Parser, token: Token) -> TableNode:
    bits = token.split_contents()
    if len(bits) < 4 or bits[2] != "as":
        raise template.TemplateSyntaxError("Use {% table rows as row columns=\"...\" ... %}")
    flags, values = _options(parser, bits[4:])
    body = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(parser.compile_filter(bits[1]), bits[3], flags, values, body)


class CellNode(template.Node):
    def __init__(self, flags: set[str], values: dict[str, FilterExpression],
                 body: NodeList) -> None:
        self.flags, self.values, self.body = flags, values, body

    def render(self, context: template.Context) -> str:
        header = "header" in self.flags
        classes = ["govuk-table__header" if header else "govuk-table__cell"]
        if "numeric" in self.flags:
            classes.append(f"{classes[0]}--numeric")
        if "nowrap" in self.flags:
            classes.append("iom-nowrap")
        if "classes" in self.values:
            classes.append(str(self.values["classes"].resolve(context)))
        attributes = format_html_join("", ' {}="{}"', (
            (name, self.values[key].resolve(context))
            for key, name in (("sort", "data-sort-value"), ("colspan", "colspan"))
            if key in self.values))
        tag = "th" if header else "td"
        return format_html('<{} {}class="{}"{}>{}</{}>', tag,
                           mark_safe('scope="row" ') if header else "",
                           " ".join(classes), attributes, self.body.render(context), tag)


@register.tag("cell")
def do_cell(parser: Parser, token: Token) -> CellNode:
    flags, values = _options(parser, token.split_contents()[1:])
    body = parser.parse(("endcell",))
    parser.delete_first_token()
    return CellNode(flags, values, body)


class CaptureNode(template.Node):
    def __init__(self, name: str, body: NodeList) -> None:
        self.name, self.body = name, body

    def render(self, context: template.Context) -> str:
        context[self.name] = " ".join(self.body.render(context).split())
        return ""


@register.tag("capture")
def do_capture(parser: Parser, token: Token) -> CaptureNode:
    """``{% capture as caption %}{{ n }} item{{ n|pluralize }}{% endcapture %}``: words built
    with template logic, for a table's caption."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}...{% endcapture %}")
    body = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(bits[2], body)


@register.filter
def numeric_columns(headings: object, first: str) -> list[Column]:
    """``table.headings|numeric_columns:"Group"``: a row-header column then one numeric
    column per heading, the headings taken as they are (they may hold ``:`` or ``|``)."""
    items = list(headings) if isinstance(headings, (list, tuple)) else []
    return [Column(first), *(Column(str(h), numeric=True) for h in items)]
