"""Migration operations of our own."""

from __future__ import annotations

from typing import Any

from django.db import migrations


class AutovacuumSettings(migrations.operations.base.Operation):
    """Set PostgreSQL's autovacuum storage parameters of a model's table (nothing on SQLite).

    For the tables that grow in bursts — a review season's lists, a month of dossiers — whose
    new rows the reports read at once: with the defaults, statistics are taken again only once
    a tenth of the table has changed, and until then the planner takes the new year's or the
    new month's rows for none (see docs/performance.md, "Households and the poverty report").
    """

    reversible = True

    def __init__(self, model_name: str, **options: float | int) -> None:
        self.model_name = model_name
        self.options = options

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [self.model_name], dict(self.options)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # storage parameters are not part of Django's model state

    def _alter(self, app_label: str, schema_editor: Any, state: Any, reset: bool) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = state.apps.get_model(app_label, self.model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        if reset:
            schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(self.options)})")
        else:
            values = ", ".join(f"{name} = {v!r}" for name, v in self.options.items())
            schema_editor.execute(f"ALTER TABLE {table} SET ({values})")

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._alter(app_label, schema_editor, to_state, reset=False)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._alter(app_label, schema_editor, from_state, reset=True)

    def describe(self) -> str:
        return f"Set autovacuum parameters of {self.model_name} (PostgreSQL)"
