"""PostgreSQL: move the search vectors out of the article row.

The generated ``tsvector`` columns of 0005 sat next to the body in every
article row, so testing a candidate row against a query read its vectors out
of line (TOAST): ~10 µs a row, 77 ms for a four-word query of common words
at 100,000 articles. They now live in ``articles_article_search`` (one row
per article), the folded vector stored inline (``STORAGE MAIN``), the
diacritic copy, used only to rank up to ``MAX_RANKED`` rows, out of line.
Triggers on ``articles_article`` keep it current on every insert, update of
the search columns, delete and truncate, as the generated columns were.
SQLite is unchanged (its FTS5 table is already separate).
"""

from django.db import migrations

from ._vendor import run

VECTORS = """
    setweight(to_tsvector('simple'::regconfig, NEW.search_title), 'A')
    || setweight(to_tsvector('simple'::regconfig, NEW.search_summary), 'B')
    || setweight(to_tsvector('simple'::regconfig, NEW.search_body), 'C'),
    to_tsvector('simple'::regconfig, NEW.search_exact)
"""

CREATE = [
    "DROP INDEX articles_article_search_gin",
    """
    CREATE TABLE articles_article_search (
        article_id integer PRIMARY KEY,
        vector tsvector NOT NULL,
        exact_vector tsvector NOT NULL
    )
    """,
    "ALTER TABLE articles_article_search ALTER COLUMN vector SET STORAGE MAIN",
    f"""
    CREATE FUNCTION articles_article_search_write() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO articles_article_search (article_id, vector, exact_vector)
        VALUES (NEW.id, {VECTORS})
        ON CONFLICT (article_id) DO UPDATE
        SET vector = EXCLUDED.vector, exact_vector = EXCLUDED.exact_vector;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION articles_article_search_delete() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM articles_article_search WHERE article_id = OLD.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION articles_article_search_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE articles_article_search;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_search_write
    AFTER INSERT OR UPDATE OF search_title, search_summary, search_body,
        search_exact ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_write()
    """,
    """
    CREATE TRIGGER articles_article_search_delete
    AFTER DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_delete()
    """,
    """
    CREATE TRIGGER articles_article_search_truncate
    AFTER TRUNCATE ON articles_article
    FOR EACH STATEMENT EXECUTE FUNCTION articles_article_search_truncate()
    """,
    """
    INSERT INTO articles_article_search (article_id, vector, exact_vector)
    SELECT id, search_vector, search_exact_vector FROM articles_article
    """,
    "CREATE INDEX articles_article_search_gin ON articles_article_search "
    "USING gin (vector)",
    "ALTER TABLE articles_article DROP COLUMN search_vector, "
    "DROP COLUMN search_exact_vector",
]

DROP = [
    """
    ALTER TABLE articles_article
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_summary), 'B')
        || setweight(to_tsvector('simple'::regconfig, search_body), 'C')
    ) STORED,
    ADD COLUMN search_exact_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, search_exact)
    ) STORED
    """,
    "DROP TABLE articles_article_search",
    "DROP TRIGGER articles_article_search_write ON articles_article",
    "DROP TRIGGER articles_article_search_delete ON articles_article",
    "DROP TRIGGER articles_article_search_truncate ON articles_article",
    "DROP FUNCTION articles_article_search_write()",
    "DROP FUNCTION articles_article_search_delete()",
    "DROP FUNCTION articles_article_search_truncate()",
    "CREATE INDEX articles_article_search_gin ON articles_article "
    "USING gin (search_vector)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_visibility_indexes"),
    ]

    operations = [
        migrations.RunPython(
            run({"postgresql": CREATE}),
            run({"postgresql": DROP}),
        ),
    ]
