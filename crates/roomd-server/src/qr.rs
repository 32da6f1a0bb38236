//! QR codes as PNG images (onboarding codes, the board's check-in code): error correction
//! level Q (a quarter of the code may be smudged or covered and it still reads), the
//! standard quiet zone of 4 modules, 10 pixels a module (about 4 cm wide at 300 dpi for
//! a typical link), and with `lang` a caption under it in that language ("file name
//! differs by language", the onboarding seed says).

use std::io::Cursor;
use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, EcLevel, QrCode};
use roomd_core::onboarding::Lang;

const MODULE_PX: u32 = 10;
const QUIET_MODULES: u32 = 4;
const CAPTION_PX: f32 = 36.0;
const CAPTION_BAND: u32 = 64;

static LATIN: LazyLock<Option<FontRef<'static>>> =
    LazyLock::new(|| FontRef::try_from_slice(include_bytes!("../assets/fonts/dejavu-sans-subset.ttf")).ok());
static CJK: LazyLock<Option<FontRef<'static>>> =
    LazyLock::new(|| FontRef::try_from_slice(include_bytes!("../assets/fonts/droid-sans-fallback-subset.ttf")).ok());

pub fn caption(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "扫码入职",
        Lang::En => "Scan to onboard",
    }
}

/// The PNG bytes of a code for `url`, captioned when `lang` is given.
pub fn render(url: &str, lang: Option<Lang>) -> Result<Vec<u8>, String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::Q).map_err(|e| e.to_string())?;
    let modules = code.width() as u32;
    let side = (modules + 2 * QUIET_MODULES) * MODULE_PX;
    let band = if lang.is_some() { CAPTION_BAND } else { 0 };
    let mut img = GrayImage::from_pixel(side, side + band, Luma([255]));
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (mx, my) = (i as u32 % modules, i as u32 / modules);
            let (x0, y0) = ((mx + QUIET_MODULES) * MODULE_PX, (my + QUIET_MODULES) * MODULE_PX);
            for y in y0..y0 + MODULE_PX {
                for x in x0..x0 + MODULE_PX {
                    img.put_pixel(x, y, Luma([0]));
                }
            }
        }
    }
    if let Some(lang) = lang {
        draw_caption(&mut img, caption(lang), side - 8);
    }
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// Centred text whose baseline sits `CAPTION_PX` below `top`; each character is drawn
/// with the first font that has it.
fn draw_caption(img: &mut GrayImage, text: &str, top: u32) {
    let fonts: Vec<&FontRef<'static>> = [LATIN.as_ref(), CJK.as_ref()].into_iter().flatten().collect();
    let scale = PxScale::from(CAPTION_PX);
    let pick = |c: char| fonts.iter().copied().find(|f| f.glyph_id(c).0 != 0);
    let width: f32 = text.chars().filter_map(|c| pick(c).map(|f| f.as_scaled(scale).h_advance(f.glyph_id(c)))).sum();
    let mut x = ((img.width() as f32 - width) / 2.0).max(0.0);
    let baseline = top as f32 + CAPTION_PX;
    for c in text.chars() {
        let Some(font) = pick(c) else { continue };
        let scaled = font.as_scaled(scale);
        let glyph = font.glyph_id(c).with_scale_and_position(scale, ab_glyph::point(x, baseline));
        x += scaled.h_advance(font.glyph_id(c));
        let Some(outline) = font.outline_glyph(glyph) else { continue };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let (px, py) = (bounds.min.x as i64 + i64::from(gx), bounds.min.y as i64 + i64::from(gy));
            if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                let shade = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))) as u8;
                let pixel = img.get_pixel_mut(px as u32, py as u32);
                pixel.0[0] = pixel.0[0].min(shade);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use roomd_core::onboarding::Lang;

    use super::render;

    fn decode(png: &[u8]) -> String {
        let img = image::load_from_memory(png).expect("a PNG").to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the image");
        grids[0].decode().expect("decodes").1
    }

    #[test]
    fn decodes_to_the_url_with_and_without_a_caption() {
        let url = "http://127.0.0.1:8080/onboarding/scan?signKey=6q5yxOKMzAsdBmXUZWVqnslLJR0KWy_tNYQnnkhJ";
        for lang in [None, Some(Lang::Zh), Some(Lang::En)] {
            let png = render(url, lang).expect("renders");
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            assert_eq!(decode(&png), url, "lang {lang:?}");
        }
    }

    #[test]
    fn a_caption_adds_a_band_of_inked_pixels_below_the_code() {
        let url = "http://example.test/onboarding/scan?signKey=abc";
        let plain = image::load_from_memory(&render(url, None).expect("plain")).expect("png").to_luma8();
        for lang in [Lang::Zh, Lang::En] {
            let captioned =
                image::load_from_memory(&render(url, Some(lang)).expect("captioned")).expect("png").to_luma8();
            assert_eq!(captioned.width(), plain.width());
            assert!(captioned.height() > plain.height());
            let inked = (plain.height()..captioned.height())
                .flat_map(|y| (0..captioned.width()).map(move |x| (x, y)))
                .filter(|&(x, y)| captioned.get_pixel(x, y).0[0] < 128)
                .count();
            assert!(inked > 200, "{lang:?}: the caption is drawn ({inked} dark pixels)");
        }
    }
}
