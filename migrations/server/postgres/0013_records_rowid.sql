-- 0013: SQLite moved its records to a rowid table; PostgreSQL's heap
-- already keeps rows apart from their key's index. Nothing to change: the
-- number keeps both stores' schema versions equal.
SELECT 1;
