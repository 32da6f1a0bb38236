//! The engine: the two backends, their connections and SQL, migrations.

pub(crate) mod blobs;
pub(crate) mod checkpoint;
pub(crate) mod db;
pub(crate) mod directory_cache;
pub(crate) mod migrate;
pub(crate) mod pg_client;
pub(crate) mod pg_pool;
pub(crate) mod rows;
pub(crate) mod sql;
pub(crate) mod sqlite;
pub(crate) mod writer;
