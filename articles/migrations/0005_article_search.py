"""Search columns, and each database's full-text index over them.

PostgreSQL: two generated ``tsvector`` columns (folded text weighted title A,
sapo B, the rest C; and the Telex copy) and a GIN index; PostgreSQL keeps
them current on every write. SQLite: an FTS5 table whose rowid is the
article id, written by ``articles.search.index_articles``. Django's model
knows neither: they are read through raw SQL in ``articles/search.py``.
"""

from django.db import migrations, models

from ._vendor import run

POSTGRES_CREATE = [
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
    "CREATE INDEX articles_article_search_gin ON articles_article "
    "USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS articles_article_search_gin",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector, "
    "DROP COLUMN IF EXISTS search_exact_vector",
]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE articles_article_fts USING fts5("
    "search_title, search_summary, search_body, search_exact, "
    "prefix='2 3', tokenize='unicode61')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS articles_article_fts"]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_photo_renditions_hash_decorative"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_summary",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_body",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_exact",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="official",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.RunPython(
            run({"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}),
            run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
        ),
    ]
