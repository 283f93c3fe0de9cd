"""Helpers for migrations that write database-specific SQL. The leading
underscore keeps Django's migration loader from reading this as a migration."""


def run(statements_by_vendor):
    """A RunPython operation executing the statements listed for the
    database in use (``{"postgresql": [...], "sqlite": [...]}``)."""

    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation
