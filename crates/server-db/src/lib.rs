//! Storage trait of the central server with SQLite and PostgreSQL implementations
