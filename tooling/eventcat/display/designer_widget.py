"""``Designer(catalog)``: an ipywidgets form bound to a :class:`DesignSession`.

This module only binds controls to the session (every action is a session method) and draws its
results with the renderers of :mod:`eventcat.display`. Lint and the gate refresh after every
edit; the generated model and the docs page when their tab is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from eventcat.design.designer import FIELD_TYPES, ConsumerRow, DesignSession, FieldRow
from eventcat.display import views
from eventcat.display.formatters import html_for
from eventcat.display.page_view import available as page_view_available
from eventcat.display.page_view import page_view
from eventcat.errors import EventcatError

FORMATS = ("", "uuid", "date-time", "date", "email", "uri")
TABS = ("Lint", "Gate", "Model", "Docs page", "Diff")
_FIELD_COLUMNS = (
    "minmax(0,160px) 100px 76px 76px 100px minmax(0,140px) minmax(0,1fr) minmax(0,1fr) 40px"
)


def _layout(**kw: Any) -> w.Layout:
    return w.Layout(**kw)


def _text(label: str, **kw: Any) -> w.Text:
    return w.Text(description=label, continuous_update=False, style={"description_width": "90px"},
                  layout=_layout(width="100%"), **kw)  # fmt: skip


class Designer(w.VBox):  # type: ignore[misc]
    """Design or evolve an event in a form; the panels show what lint, the gate, the code
    generator and the docs site make of it. ``session`` is the state the form edits."""

    def __init__(self, catalog: Any) -> None:
        self.session = catalog if isinstance(catalog, DesignSession) else DesignSession(catalog)
        s = self.session
        style = {"description_width": "90px"}
        full = _layout(width="100%")
        self._quiet = False
        self._stale = set(TABS)
        # -- mode ------------------------------------------------------------------------------
        self.mode = w.ToggleButtons(
            options=[("New event", "new"), ("Evolve", "evolve")], value="new"
        )
        self.event_pick = w.Dropdown(description="Event", options=("", *s.event_names), style=style)
        self.open_button = w.Button(description="Open", icon="folder-open")
        # -- samples ---------------------------------------------------------------------------
        self.samples = w.Textarea(placeholder="Paste sample payloads: a JSON object, an array of "
                                  "them, or JSON Lines", layout=_layout(width="100%", height="110px"))  # fmt: skip
        self.upload = w.FileUpload(
            accept=".json,.jsonl,.ndjson", multiple=False, description="Load file"
        )
        self.infer_button = w.Button(description="Infer fields", button_style="info", icon="magic")
        # -- metadata --------------------------------------------------------------------------
        self.name = _text("Name", placeholder="PascalCase, e.g. OrderShipped")
        self.domain = w.Dropdown(
            description="Domain", options=("", *s.domains), style=style, layout=full
        )
        self.kind = w.Dropdown(description="Kind", options=s.kinds, value=s.kind, style=style)
        self.owner = w.Dropdown(description="Owner", options=[("(the domain's owner)", ""), *((t, t) for t in s.teams)],
                                style=style, layout=full)  # fmt: skip
        self.status = w.Dropdown(
            description="Lifecycle", options=s.statuses, value=s.status, style=style
        )
        self.producers = w.SelectMultiple(
            description="Producers", options=s.services, rows=5, style=style, layout=full
        )
        self.summary = _text("Summary")
        self.description = w.Textarea(description="Description", style=style, layout=full,
                                      continuous_update=False)  # fmt: skip
        self.broker = w.Dropdown(description="Broker", options=("", *s.brokers), style=style)
        self.exchange = w.Combobox(description="Exchange", options=s.exchanges, ensure_option=False,
                                   continuous_update=False, style=style, layout=full)  # fmt: skip
        self.routing = _text("Routing key")
        self.consumer_box = w.VBox()
        self.add_consumer = w.Button(description="Add consumer", icon="plus")
        # -- fields ----------------------------------------------------------------------------
        self.field_box = w.VBox()
        self.new_field = w.Text(placeholder="new field name", layout=_layout(width="200px"))
        self.add_field = w.Button(description="Add field", icon="plus")
        self.closed = w.Checkbox(
            description="No other fields (additionalProperties: false)", indent=False
        )
        # -- actions and panels ----------------------------------------------------------------
        self.write_button = w.Button(
            description="Write to catalog", button_style="success", icon="save"
        )
        self.bump_button = w.Button(
            description="Create _v<N+1>", button_style="warning", icon="code-branch"
        )
        self.deprecate = w.Checkbox(
            description="deprecate the old version", value=True, indent=False
        )
        self.status_line = w.HTML()
        self.verdict = w.HTML()
        scroll = {"max_height": "640px", "overflow": "auto"}  # long panels scroll, the form stays
        self.panels = {name: w.HTML(layout=_layout(**scroll)) for name in TABS}
        self.docs_view: Any = page_view() if page_view_available() else w.HTML()
        self.docs_view.layout = _layout(**scroll)
        self.tabs = w.Tab(children=[self.panels["Lint"], self.panels["Gate"], self.panels["Model"],
                                    self.docs_view, self.panels["Diff"]])  # fmt: skip
        for index, name in enumerate(TABS):
            self.tabs.set_title(index, name)

        form = w.VBox([
            w.HTML("<b>Samples</b>"), self.samples, w.HBox([self.upload, self.infer_button]),
            w.HTML("<b>Event</b>"), self.name, self.domain, w.HBox([self.kind, self.status]),
            self.owner, self.producers, self.summary, self.description,
            w.HTML("<b>Channel</b>"), w.HBox([self.broker]), self.exchange, self.routing,
            w.HTML("<b>Consumers</b> (and the fields they read)"), self.consumer_box, self.add_consumer,
        ], layout=_layout(width="45%", padding="0 12px 0 0"))  # fmt: skip
        side = w.VBox([self.verdict, self.tabs], layout=_layout(width="55%"))
        # The field table spans the whole width: eight editable columns do not fit beside the panels.
        super().__init__([
            w.HBox([self.mode, self.event_pick, self.open_button]),
            w.HBox([form, side], layout=_layout(width="100%")),
            w.HTML("<b>Payload fields</b>"), self.field_box,
            w.HBox([self.new_field, self.add_field, self.closed]),
            w.HBox([self.write_button, self.bump_button, self.deprecate]), self.status_line,
        ])  # fmt: skip
        self._bind()
        self._show_mode()
        self.refresh()

    # -- binding ---------------------------------------------------------------------------------

    def _bind(self) -> None:
        self.mode.observe(lambda _: self._show_mode(), "value")
        self.open_button.on_click(lambda _: self._act(self._open))
        self.infer_button.on_click(lambda _: self._act(self._infer))
        self.upload.observe(lambda _: self._act(self._load_upload), "value")
        for control, attribute in ((self.name, "name"), (self.domain, "domain"), (self.kind, "kind"),
                                   (self.owner, "owner"), (self.status, "status"),
                                   (self.summary, "summary"), (self.description, "description")):  # fmt: skip
            control.observe(self._setter(attribute), "value")
        self.producers.observe(self._setter("producers", list), "value")
        self.closed.observe(self._setter("closed"), "value")
        for control, key in (
            (self.broker, "broker"),
            (self.exchange, "exchange"),
            (self.routing, "routingKey"),
        ):
            control.observe(self._channel(key), "value")
        self.add_consumer.on_click(lambda _: self._act(self._new_consumer))
        self.add_field.on_click(lambda _: self._act(self._new_field))
        self.write_button.on_click(lambda _: self._act(self._write))
        self.bump_button.on_click(lambda _: self._act(self._bump))
        self.tabs.observe(lambda _: self._fill_tab(), "selected_index")

    def _setter(
        self, attribute: str, convert: Callable[[Any], Any] = lambda v: v
    ) -> Callable[[Any], None]:
        def changed(change: Any) -> None:
            if not self._quiet:
                setattr(self.session, attribute, convert(change["new"]))
                self.refresh()

        return changed

    def _channel(self, key: str) -> Callable[[Any], None]:
        def changed(change: Any) -> None:
            if not self._quiet:
                self.session.channel[key] = str(change["new"] or "")
                self.refresh()

        return changed

    def _act(self, action: Callable[[], str | None]) -> None:
        """Run a session action; an eventcat error shows as the CLI's located lines."""
        try:
            message = action()
        except EventcatError as err:
            self.status_line.value = views.findings_html(
                err.problems, title="refused: nothing was written"
            )
            return
        except ValueError as err:  # bad JSON typed into a constraints cell
            self.status_line.value = views.findings_html([], title=f"refused: {err}")
            return
        self.status_line.value = message or ""

    # -- actions ---------------------------------------------------------------------------------

    def _infer(self) -> str:
        inference = self.session.load_samples(self.samples.value)
        self._from_session()
        self.panels["Diff"].value = ""
        return views.inference_html(inference)

    def _load_upload(self) -> str | None:
        files = self.upload.value
        if not files:
            return None
        content = bytes(files[0]["content"]).decode("utf-8", "replace")
        self.samples.value = content
        return self._infer()

    def _open(self) -> str:
        self.session.open(str(self.event_pick.value))
        self.mode.value = "evolve"
        self._from_session()
        return f"opened <code>{_escape(self.session.path)}</code>"

    def _new_consumer(self) -> None:
        self.session.consumers.append(ConsumerRow(self.session.services[0]))
        self._draw_consumers()
        self.refresh()

    def _new_field(self) -> None:
        self.session.add_field(self.new_field.value.strip())
        self.new_field.value = ""
        self._draw_fields()
        self.refresh()

    def _write(self) -> str:
        written = self.session.write()
        return self._after_write(written)

    def _bump(self) -> str:
        written = self.session.bump(deprecate=self.deprecate.value)
        self._from_session()
        return self._after_write(written)

    def _after_write(self, written: Any) -> str:
        self.panels["Diff"].value = f"<pre>{_escape(written.diff)}</pre>"
        self.tabs.selected_index = TABS.index("Diff")
        self.event_pick.options = ("", *self.session.event_names)
        self.refresh()
        files = ", ".join(f"<code>{_escape(p)}</code>" for p in written.paths)
        return f"<span class='ecd-ok'>written: {files}</span>"

    # -- drawing ---------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        evolve = self.mode.value == "evolve"
        self.event_pick.layout.display = self.open_button.layout.display = (
            None if evolve else "none"
        )
        self.bump_button.layout.display = self.deprecate.layout.display = None if evolve else "none"
        self.name.disabled = self.domain.disabled = evolve
        if not evolve and self.session.mode == "evolve":
            self.session.new()
            self._from_session()

    def _from_session(self) -> None:
        s = self.session
        self._quiet = True
        try:
            self.name.value, self.domain.value, self.kind.value = s.name, s.domain, s.kind
            self.owner.value = s.owner if s.owner in s.teams else ""
            self.status.value, self.summary.value, self.description.value = (
                s.status,
                s.summary,
                s.description,
            )
            self.producers.value = tuple(p for p in s.producers if p in s.services)
            self.broker.value = (
                s.channel.get("broker", "") if s.channel.get("broker", "") in s.brokers else ""
            )
            self.exchange.value = s.channel.get("exchange", "")
            self.routing.value = s.channel.get("routingKey", "")
            self.closed.value = s.closed
        finally:
            self._quiet = False
        self._draw_fields()
        self._draw_consumers()
        self.refresh()

    def _draw_fields(self) -> None:
        header = [w.HTML(f"<b>{h}</b>") for h in ("field", "type", "required", "nullable", "format",
                                                   "enum (a, b)", "description", "other keywords (JSON)", "")]  # fmt: skip
        cells: list[Any] = list(header)
        for row in self.session.fields:
            cells += self._field_cells(row)
        self.field_box.children = [
            w.GridBox(cells, layout=_layout(grid_template_columns=_FIELD_COLUMNS, width="100%"))
        ]

    def _field_cells(self, row: FieldRow) -> list[Any]:
        narrow = _layout(width="100%", min_width="0")
        name = w.Text(value=row.name, continuous_update=False, layout=narrow)
        kind = w.Dropdown(
            options=("", *FIELD_TYPES),
            value=row.type if row.type in FIELD_TYPES else "",
            layout=narrow,
        )
        required = w.Checkbox(value=row.required, indent=False, layout=narrow)
        nullable = w.Checkbox(value=row.nullable, indent=False, layout=narrow)
        fmt = w.Combobox(
            value=row.format,
            options=FORMATS,
            ensure_option=False,
            continuous_update=False,
            layout=narrow,
        )
        enum = w.Text(value=", ".join(row.enum), continuous_update=False, layout=narrow)
        description = w.Text(value=row.description, continuous_update=False, layout=narrow)
        extra = w.Text(value=row.extra_json, continuous_update=False, layout=narrow)
        remove = w.Button(icon="trash", tooltip=f"remove {row.name}", layout=narrow)
        for control, key in ((name, "name"), (kind, "type"), (required, "required"), (nullable, "nullable"),
                             (fmt, "format"), (enum, "enum"), (description, "description"), (extra, "extra")):  # fmt: skip
            control.observe(self._field_setter(row, key), "value")
        remove.on_click(lambda _: self._act(lambda: self._remove_field(row)))
        for control in (name, kind, required, nullable, fmt, enum, description, extra, remove):
            control.add_class("ecd-field")
            control.add_class(f"ecd-field-{_css(row.name)}")
        return [name, kind, required, nullable, fmt, enum, description, extra, remove]

    def _field_setter(self, row: FieldRow, key: str) -> Callable[[Any], None]:
        def changed(change: Any) -> None:
            def apply() -> None:
                self.session.set_field(row.name, **{key: change["new"]})
                self.refresh()

            self._act(apply)

        return changed

    def _remove_field(self, row: FieldRow) -> None:
        self.session.remove_field(row.name)
        self._draw_fields()
        self.refresh()

    def _draw_consumers(self) -> None:
        rows = []
        for consumer in self.session.consumers:
            service = w.Dropdown(options=self.session.services, value=consumer.service
                                 if consumer.service in self.session.services else None)  # fmt: skip
            fields = w.SelectMultiple(options=self.session.field_names, rows=4,
                                      value=tuple(f for f in consumer.fields if f in self.session.field_names))  # fmt: skip
            remove = w.Button(icon="trash", layout=_layout(width="36px"))
            service.observe(self._consumer_setter(consumer, "service"), "value")
            fields.observe(self._consumer_setter(consumer, "fields"), "value")
            remove.on_click(lambda _, c=consumer: self._drop_consumer(c))
            rows.append(w.HBox([service, fields, remove]))
        self.consumer_box.children = rows

    def _consumer_setter(self, consumer: ConsumerRow, key: str) -> Callable[[Any], None]:
        def changed(change: Any) -> None:
            value = change["new"]
            setattr(consumer, key, list(value) if key == "fields" else str(value or ""))
            self.refresh()

        return changed

    def _drop_consumer(self, consumer: ConsumerRow) -> None:
        self.session.consumers.remove(consumer)
        self._draw_consumers()
        self.refresh()

    # -- the panels ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the panels: lint and gate now, model and docs page when shown."""
        s = self.session
        self._stale = {"Model", "Docs page"}
        if not (s.name and s.domain):
            self.verdict.value = "<p class='ecd-muted'>Name the event and pick its domain.</p>"
            for name in ("Lint", "Gate"):
                self.panels[name].value = ""
            self._fill_tab()
            return
        try:
            validation = s.check()
            self.panels["Lint"].value = views.validation_html(validation)
            self.panels["Gate"].value = html_for(s.gate()) or ""
            if s.mode == "evolve":
                review = s.review()
                self.verdict.value = views.review_html(review) + (
                    "" if review.ok else "<p class='ecd-warn'>This change needs a new version: "
                    "use “Create _v&lt;N+1&gt;”.</p>")  # fmt: skip
            else:
                state = (
                    "ecd-ok'>ready to write" if validation.ok else "ecd-bad'>not ready: see Lint"
                )
                self.verdict.value = (
                    f"<p><code>{_escape(s.path)}</code>: <span class='{state}</span></p>"
                )
        except EventcatError as err:
            self.panels["Lint"].value = views.findings_html(err.problems)
            self.verdict.value = "<p class='ecd-bad'>not ready: see Lint</p>"
        self._fill_tab()

    def _fill_tab(self) -> None:
        index = self.tabs.selected_index
        name = TABS[index] if index is not None else ""
        if name not in self._stale:
            return
        self._stale.discard(name)
        s = self.session
        try:
            if not (s.name and s.domain):
                html = ""
            elif name == "Model":
                html = views.preview_html(s.model())
            else:
                html = views.preview_html(s.docs())
        except EventcatError as err:
            html = views.findings_html(err.problems, title=f"no {name.lower()} until lint passes")
        if name == "Model":
            self.panels["Model"].value = html
        elif isinstance(self.docs_view, w.HTML):  # anywidget missing: the diagram as its source
            self.docs_view.value = html
        else:
            self.docs_view.html = html


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _css(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)


def designer(catalog: Any = None) -> Designer:
    """``Designer(catalog)`` for a catalog folder (default: the notebook's working copy)."""
    from eventcat.design.notebook import working_copy

    return Designer(catalog if catalog is not None else working_copy())
