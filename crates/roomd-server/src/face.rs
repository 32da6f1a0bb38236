//! Face photos (`user/updateFace`): JPEG or PNG, 200 KB to 5 MB, at most 1920×1080
//! (either orientation), and a real image that decodes. Anything else is 71021.

use axum::extract::multipart::MultipartError;
use roomd_wire::h5::ErrorCode;

use crate::error::ApiError;

pub const MIN_BYTES: usize = 200 * 1024;
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
const MAX_LONG_SIDE: usize = 1920;
const MAX_SHORT_SIDE: usize = 1080;

pub struct FaceImage {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
    pub content_type: &'static str,
}

fn invalid(reason: impl Into<String>) -> ApiError {
    ApiError::field(ErrorCode::InvalidFaceImage, "file", reason)
}

/// A multipart body that could not be read: too large, or malformed.
pub fn read_error(e: MultipartError) -> ApiError {
    if e.status().as_u16() == 413 {
        invalid("larger than 5 MB")
    } else {
        ApiError::field(ErrorCode::InvalidArguments, "body", format!("bad multipart body: {}", e.body_text()))
    }
}

pub async fn validate(bytes: Vec<u8>) -> Result<FaceImage, ApiError> {
    if bytes.len() < MIN_BYTES {
        return Err(invalid("smaller than 200 KB"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(invalid("larger than 5 MB"));
    }
    let (format, ext, content_type) = match imagesize::image_type(&bytes) {
        Ok(imagesize::ImageType::Jpeg) => (image::ImageFormat::Jpeg, "jpg", "image/jpeg"),
        Ok(imagesize::ImageType::Png) => (image::ImageFormat::Png, "png", "image/png"),
        _ => return Err(invalid("not a JPEG or PNG image")),
    };
    let size = imagesize::blob_size(&bytes).map_err(|_| invalid("unreadable image header"))?;
    let (long, short) = (size.width.max(size.height), size.width.min(size.height));
    if long > MAX_LONG_SIDE || short > MAX_SHORT_SIDE {
        return Err(invalid(format!("{}×{} is larger than 1920×1080", size.width, size.height)));
    }
    // Decode it all once: a truncated or corrupt file is refused now, not on a board later.
    let bytes = tokio::task::spawn_blocking(move || image::load_from_memory_with_format(&bytes, format).map(|_| bytes))
        .await
        .map_err(|_| invalid("could not be decoded"))?
        .map_err(|_| invalid("could not be decoded"))?;
    Ok(FaceImage { bytes, ext, content_type })
}
