//! Files (face photos): content-addressed under `DATA_DIR/blobs/<company>/`, named by the
//! SHA-256 of their bytes, with a row per file. Written to a temporary name, synced, then
//! renamed, so a crash never leaves half a photo behind a name.

use std::path::PathBuf;

use roomd_core::Caller;
use sha2::{Digest, Sha256};

use crate::db::work;
use crate::sql::query;
use crate::{Store, StoreError, StoreResult};

impl Store {
    /// Stores `bytes` and returns the file name (`<sha256>.<ext>`).
    pub async fn put_blob(
        &self,
        caller: &Caller,
        bytes: Vec<u8>,
        ext: &str,
        content_type: &str,
    ) -> StoreResult<String> {
        let file = format!("{}.{ext}", hex::encode(Sha256::digest(&bytes)));
        let dir = self.blob_dir(caller.company.as_str());
        let path = dir.join(&file);
        let size = bytes.len() as i64;
        tokio::task::spawn_blocking(move || write_file(dir, path, &bytes))
            .await
            .map_err(|e| StoreError::Internal(format!("blob write: {e}")))??;
        let company = caller.company.as_str().to_string();
        let (name, content_type, now) = (file.clone(), content_type.to_string(), self.now_ms());
        self.write(work!(|conn| {
            query(
                "INSERT INTO blobs (company_id, file, content_type, size, created_ms) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (company_id, file) DO NOTHING",
            )
            .bind(company)
            .bind(name)
            .bind(content_type)
            .bind(size)
            .bind(now)
            .execute(conn)
            .await?;
            Ok(())
        }))
        .await?;
        Ok(file)
    }

    /// The stored file and its content type, if `company` has it.
    pub async fn blob(&self, company: String, file: String) -> StoreResult<Option<(PathBuf, String)>> {
        let path = self.blob_dir(&company).join(&file);
        let content_type: Option<String> = self
            .read(work!(|conn| {
                query("SELECT content_type FROM blobs WHERE company_id = $1 AND file = $2")
                    .bind(company)
                    .bind(file)
                    .scalar(conn)
                    .await
            }))
            .await?;
        Ok(content_type.map(|ct| (path, ct)))
    }

    fn blob_dir(&self, company: &str) -> PathBuf {
        self.inner.data_dir.join("blobs").join(company)
    }
}

fn write_file(dir: PathBuf, path: PathBuf, bytes: &[u8]) -> StoreResult<()> {
    use std::io::Write;
    let io = |e: std::io::Error| StoreError::Unavailable(format!("blob storage: {e}"));
    if path.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&dir).map_err(io)?;
    let tmp = dir.join(format!(".tmp-{}", uuid_like()));
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(())
}

fn uuid_like() -> String {
    roomd_core::MeetingId::generate().into_string()
}
