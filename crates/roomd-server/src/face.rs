//! Face photos (`user/updateFace`): JPEG or PNG, 200 KB to 5 MB, at most 1920×1080
//! (either orientation), and a whole image that decodes: a JPEG ends with its
//! end-of-image marker (the decoder would fill a cut-off file with grey). Anything else is
//! 71021. Decodes run a few at a time, as many as the machine has cores.

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
    if format == image::ImageFormat::Jpeg && !ends_a_jpeg(&bytes) {
        return Err(invalid("the JPEG is cut off: it does not end with its end-of-image marker"));
    }
    // Decode it all once: a truncated or corrupt file is refused now, not on a board later.
    let _turn = DECODES.acquire().await.map_err(|_| invalid("could not be decoded"))?;
    let bytes = tokio::task::spawn_blocking(move || image::load_from_memory_with_format(&bytes, format).map(|_| bytes))
        .await
        .map_err(|_| invalid("could not be decoded"))?
        .map_err(|_| invalid("could not be decoded"))?;
    Ok(FaceImage { bytes, ext, content_type })
}

static DECODES: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4))
});

/// Whether a JPEG's last marker, past any zero padding, is EOI (`FF D9`).
fn ends_a_jpeg(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |last| last + 1);
    bytes[..end].ends_with(&[0xFF, 0xD9])
}

#[cfg(test)]
mod tests {
    use super::validate;

    /// A noisy 900×900 JPEG, well over 200 KB.
    fn photo() -> Vec<u8> {
        let mut seed = 7u32;
        let pixels = image::RgbImage::from_fn(900, 900, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let [a, b, c, _] = seed.to_le_bytes();
            image::Rgb([a, b, c])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(pixels).write_to(&mut out, image::ImageFormat::Jpeg).expect("encode");
        out.into_inner()
    }

    #[tokio::test]
    async fn a_cut_off_jpeg_is_refused_a_whole_one_accepted() {
        let whole = photo();
        assert!(whole.len() > 300 * 1024, "{}", whole.len());
        let cut = whole[..whole.len() * 9 / 10].to_vec();
        assert!(image::load_from_memory(&cut).is_ok(), "the decoder alone lets the cut-off file through");
        assert!(validate(cut).await.is_err());
        let mut padded = whole.clone();
        padded.extend([0u8; 16]);
        assert!(validate(padded).await.is_ok(), "zero padding after the end is fine");
        assert!(validate(whole).await.is_ok());
    }
}
