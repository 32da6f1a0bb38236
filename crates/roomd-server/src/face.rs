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

/// Why a face photo is refused: one rule each, so every page can say which in its own
/// words; the APIs say `reason()` on the `file` field of 71021.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaceRefused {
    TooSmall,
    TooLarge,
    NotJpegOrPng,
    /// Wider or taller than 1920×1080 (either orientation): its size.
    TooManyPixels {
        width: usize,
        height: usize,
    },
    /// A JPEG without its end-of-image marker, a header that does not read, or pixels
    /// that do not decode.
    Broken(&'static str),
}

impl FaceRefused {
    pub fn reason(&self) -> String {
        match self {
            FaceRefused::TooSmall => "smaller than 200 KB".into(),
            FaceRefused::TooLarge => "larger than 5 MB".into(),
            FaceRefused::NotJpegOrPng => "not a JPEG or PNG image".into(),
            FaceRefused::TooManyPixels { width, height } => format!("{width}×{height} is larger than 1920×1080"),
            FaceRefused::Broken(why) => (*why).into(),
        }
    }
}

impl From<FaceRefused> for ApiError {
    fn from(refused: FaceRefused) -> Self {
        ApiError::field(ErrorCode::InvalidFaceImage, "file", refused.reason())
    }
}

/// A multipart body that could not be read: too large, or malformed.
pub fn read_error(e: MultipartError) -> ApiError {
    if e.status().as_u16() == 413 {
        FaceRefused::TooLarge.into()
    } else {
        ApiError::field(ErrorCode::InvalidArguments, "body", format!("bad multipart body: {}", e.body_text()))
    }
}

/// `check`, refused as the APIs say it (71021 on `file`).
pub async fn validate(bytes: Vec<u8>) -> Result<FaceImage, ApiError> {
    Ok(check(bytes).await?)
}

/// The photo if it keeps every rule, else the first rule it breaks.
pub async fn check(bytes: Vec<u8>) -> Result<FaceImage, FaceRefused> {
    if bytes.len() < MIN_BYTES {
        return Err(FaceRefused::TooSmall);
    }
    if bytes.len() > MAX_BYTES {
        return Err(FaceRefused::TooLarge);
    }
    let (format, ext, content_type) = match imagesize::image_type(&bytes) {
        Ok(imagesize::ImageType::Jpeg) => (image::ImageFormat::Jpeg, "jpg", "image/jpeg"),
        Ok(imagesize::ImageType::Png) => (image::ImageFormat::Png, "png", "image/png"),
        _ => return Err(FaceRefused::NotJpegOrPng),
    };
    let size = imagesize::blob_size(&bytes).map_err(|_| FaceRefused::Broken("unreadable image header"))?;
    let (long, short) = (size.width.max(size.height), size.width.min(size.height));
    if long > MAX_LONG_SIDE || short > MAX_SHORT_SIDE {
        return Err(FaceRefused::TooManyPixels { width: size.width, height: size.height });
    }
    if format == image::ImageFormat::Jpeg && !ends_a_jpeg(&bytes) {
        return Err(FaceRefused::Broken("the JPEG is cut off: it does not end with its end-of-image marker"));
    }
    // Decode it all once: a truncated or corrupt file is refused now, not on a board later.
    let undecodable = FaceRefused::Broken("could not be decoded");
    let bytes = decoding(move || image::load_from_memory_with_format(&bytes, format).map(|_| bytes))
        .await
        .ok_or(undecodable.clone())?
        .map_err(|_| undecodable)?;
    Ok(FaceImage { bytes, ext, content_type })
}

/// `work` (a decode) on a blocking thread once one of the few turns is free; `None` if
/// it could not run. The turn goes with the work: a client gone away frees it only when
/// it is done.
pub async fn decoding<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let turn = DECODES.clone().acquire_owned().await.ok()?;
    tokio::task::spawn_blocking(move || {
        let _held = turn;
        work()
    })
    .await
    .ok()
}

static DECODES: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
});

/// Whether a JPEG ends its image: its segments walked from the start (entropy-coded data
/// skipped to the next real marker) reach the end-of-image marker (`FF D9`). What follows
/// it, such as a phone's trailer, is not looked at; an EXIF thumbnail's own end marker
/// sits inside its segment and is skipped with it.
fn ends_a_jpeg(bytes: &[u8]) -> bool {
    jpeg_end(bytes).is_some()
}

fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1; // fill bytes
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            0xD9 => return Some(at),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        if length < 2 {
            return None;
        }
        at += length;
        if marker == 0xDA {
            // A scan's data runs to the first 0xFF that is neither stuffing (FF 00) nor a
            // restart marker (FF D0–D7).
            loop {
                at += bytes.get(at..)?.iter().position(|b| *b == 0xFF)?;
                match *bytes.get(at + 1)? {
                    0x00 | 0xD0..=0xD7 => at += 2,
                    _ => break,
                }
            }
        }
    }
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
        let mut trailer = whole.clone();
        trailer.extend(b"\x00\x00SEFH....a phone's trailer....SEFT");
        assert!(validate(trailer).await.is_ok(), "what follows the end marker is not looked at");
        // A cut that happens to end on FF D9 inside the scan data is still cut off.
        let mut fake_end = whole[..whole.len() * 8 / 10].to_vec();
        fake_end.extend([0xFF, 0x00, 0xFF, 0xD9 - 0x09]);
        assert!(validate(fake_end).await.is_err());
        assert!(validate(whole).await.is_ok());
    }
}
