"""Database defaults for the columns a raw-SQL bench seed leaves out. A seed that writes a million
rows with INSERT ... SELECT generate_series (seconds, where the ORM takes minutes) names only the
columns it cares about; Django keeps defaults in Python, so every other NOT NULL column would fail
the insert, and a field added to the model later would break every such seed. Giving those columns
the model's default in the bench database (a throwaway, never the app's) keeps the seeds working."""

from django.db import connection


def give_model_defaults(*models) -> None:
    """ALTER COLUMN ... SET DEFAULT the model's default (or the empty string Django gives a blank
    text field), for each NOT NULL column that has one."""
    with connection.cursor() as cursor:
        for model in models:
            for field in model._meta.concrete_fields:
                if field.null or field.primary_key:
                    continue
                if field.has_default() and callable(field.default) and field.default not in (list, dict, str):
                    continue  # a fresh value per row (a UUID, a time): one fixed default would be wrong
                default = field.get_default()  # the model's default, or "" for a blank text field
                if default is None:
                    continue  # no default: the seed must give it
                value = field.get_db_prep_save(default, connection)
                literal = cursor.mogrify("%s", [value]).decode()
                table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(field.column)
                sql = f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {literal}"  # names from the model
                cursor.execute(sql)
