"""Everything that speaks SQL: engine, models, reads, writes, review queries, migrations."""
