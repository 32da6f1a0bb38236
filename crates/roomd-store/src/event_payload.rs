//! An event's payload at rest: compressed with zstd against a fixed dictionary.
//!
//! A payload is the wire JSON the receiver gets (`{"event_type":…,"value":[…]}`). Stored
//! as it is, a booking's is about 570 bytes, more than the meeting's own rows, and every
//! byte of it goes through the booking's commit. The dictionary holds one payload of each
//! event type, so what is left to store is mostly the values: a booking's payload takes
//! about 140 bytes.
//!
//! The stored form is one of:
//! - `FORMAT_V1` (byte 1), then a zstd frame made with `event_dictionary_v1.txt`. That
//!   file must never change: the events already stored need it to be read. A better
//!   dictionary is a new file, with a new leading byte, beside this one;
//! - `AS_IS` (byte 0), then the payload, where compression saves nothing and the payload
//!   itself starts with byte 0 or 1 (JSON never does);
//! - else the payload itself: events recorded before compression, and payloads that
//!   compression does not make smaller.

use std::cell::RefCell;
use std::sync::OnceLock;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use crate::{StoreError, StoreResult};

/// The leading byte of a payload compressed with the first dictionary.
const FORMAT_V1: u8 = 1;
/// The leading byte of a payload kept as it is that would otherwise read as a format.
const AS_IS: u8 = 0;
const DICTIONARY_V1: &[u8] = include_bytes!("event_dictionary_v1.txt");
/// zstd's level 3 (its default): about as small as 19 here, at a tenth of the time.
const LEVEL: i32 = 3;
/// No payload the server renders comes near this; a larger size is a damaged row.
const MAX_PAYLOAD: usize = 64 << 20;

fn encoder_dictionary() -> &'static EncoderDictionary<'static> {
    static DICTIONARY: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    DICTIONARY.get_or_init(|| EncoderDictionary::copy(DICTIONARY_V1, LEVEL))
}

fn decoder_dictionary() -> &'static DecoderDictionary<'static> {
    static DICTIONARY: OnceLock<DecoderDictionary<'static>> = OnceLock::new();
    DICTIONARY.get_or_init(|| DecoderDictionary::copy(DICTIONARY_V1))
}

thread_local! {
    // A compression context is costly to make (tens of µs): one a thread, made once.
    static COMPRESSOR: RefCell<Option<Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

/// `payload` as it is stored.
pub(crate) fn encode(payload: &str) -> Vec<u8> {
    let compressed = COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let compressor = match cell.as_mut() {
            Some(compressor) => compressor,
            None => cell.insert(new_compressor().ok()?),
        };
        compressor.compress(payload.as_bytes()).ok()
    });
    match compressed {
        Some(frame) if frame.len() + 1 < payload.len() => tagged(FORMAT_V1, &frame),
        // Nothing saved (or zstd failed, which it does not for input this small): as it is.
        _ if payload.as_bytes().first().is_some_and(|&b| b == AS_IS || b == FORMAT_V1) => {
            tagged(AS_IS, payload.as_bytes())
        }
        _ => payload.as_bytes().to_vec(),
    }
}

fn tagged(format: u8, bytes: &[u8]) -> Vec<u8> {
    let mut stored = Vec::with_capacity(bytes.len() + 1);
    stored.push(format);
    stored.extend_from_slice(bytes);
    stored
}

fn new_compressor() -> std::io::Result<Compressor<'static>> {
    let mut compressor = Compressor::with_prepared_dictionary(encoder_dictionary())?;
    // The row is the integrity check; the frame need not name its dictionary.
    compressor.include_checksum(false)?;
    compressor.include_dictid(false)?;
    compressor.include_contentsize(true)?;
    Ok(compressor)
}

/// The payload `stored` holds.
pub(crate) fn decode(stored: &[u8]) -> StoreResult<String> {
    let bytes = match stored.split_first() {
        Some((&FORMAT_V1, frame)) => decompress(frame)?,
        Some((&AS_IS, payload)) => payload.to_vec(),
        _ => stored.to_vec(),
    };
    String::from_utf8(bytes).map_err(|_| damaged("its payload is not UTF-8"))
}

fn decompress(frame: &[u8]) -> StoreResult<Vec<u8>> {
    let size = match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) if size <= MAX_PAYLOAD as u64 => size as usize,
        _ => return Err(damaged("its compressed payload has no valid size")),
    };
    DECOMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let decompressor = match cell.as_mut() {
            Some(decompressor) => decompressor,
            None => cell.insert(
                Decompressor::with_prepared_dictionary(decoder_dictionary())
                    .map_err(|e| StoreError::Internal(format!("zstd: {e}")))?,
            ),
        };
        let bytes = decompressor.decompress(frame, size).map_err(|_| damaged("its compressed payload is damaged"))?;
        if bytes.len() == size { Ok(bytes) } else { Err(damaged("its compressed payload is cut short")) }
    })
}

fn damaged(what: &str) -> StoreError {
    StoreError::Internal(format!("a stored event cannot be read: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A booking's payload as the server renders it (values unlike the dictionary's).
    const BOOKING: &str = r#"{"event_type":"book_success","EventType":"book_success","value":[{"id":"01A249FF99FF730CA5BA2630F3B26C9D","roomId":"01A249FF99FC70C5BFC31C4C927C1928","speaker":"张麻子","subject":"抢碉堡","beginTime":1894240800000,"endTime":1894244400000,"address":"","createdTime":1894147200000,"lastUpdateTime":1894147200000,"checkedState":1,"checkedTime":1894147200000,"memo":"","attendances":[{"id":"01A249FF99FF730CA5BA26316BBF97F3","userId":"1","name":"admin","phone":"","email":"","faceUrl":"","isSigned":0,"signType":0,"signImgUrl":"","signTime":0}],"status":0,"createdId":"1"}]}"#;

    #[test]
    fn a_payload_comes_back_byte_for_byte_and_a_booking_takes_a_third_of_its_size() {
        let stored = encode(BOOKING);
        assert_eq!(stored[0], FORMAT_V1);
        assert!(stored.len() * 3 < BOOKING.len(), "{} bytes stored for {}", stored.len(), BOOKING.len());
        assert_eq!(decode(&stored).expect("decodes"), BOOKING);
    }

    #[test]
    fn every_kind_of_payload_round_trips() {
        let many: String = (0..500).map(|i| format!(r#"{{"userId":"u{i}","name":"参会人{i}"}},"#)).collect();
        let payloads = [
            String::new(),
            "x".to_string(),
            r#"{"event_type":"dept_remove","EventType":"dept_remove","value":["01A249FF99DD73FCA3EE2A32746EA07D"]}"#.into(),
            format!(r#"{{"event_type":"book_update","value":[{{"attendances":[{many}]}}]}}"#),
            "\u{1}starts with the format byte".to_string(),
            "\u{0}".to_string(),
            "\u{1}".to_string(),
        ];
        for payload in payloads {
            assert_eq!(decode(&encode(&payload)).expect("decodes"), payload);
        }
    }

    #[test]
    fn a_payload_stored_before_compression_reads_as_it_is() {
        assert_eq!(decode(BOOKING.as_bytes()).expect("decodes"), BOOKING);
        assert_eq!(decode(b"slow one").expect("decodes"), "slow one");
    }

    #[test]
    fn a_damaged_row_is_an_error_not_a_panic() {
        let stored = encode(BOOKING);
        for cut in [1, 2, stored.len() / 2, stored.len() - 1] {
            assert!(decode(&stored[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = stored.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        assert!(decode(&flipped).map_or(true, |text| text != BOOKING));
        assert!(decode(&[0xff, 0xfe]).is_err(), "not UTF-8");
    }

    /// Events already stored are read with this dictionary: it must stay as it is.
    #[test]
    fn the_first_dictionary_never_changes() {
        use sha2::{Digest, Sha256};
        assert_eq!(
            hex::encode(Sha256::digest(DICTIONARY_V1)),
            "f175dd332132f2ae5eac58755f9a7e77b6ff75f56c3dba20343c15fb71fadb04"
        );
    }

    /// A row written by the first version reads back the same (a frame made once, kept here).
    #[test]
    fn a_row_written_by_the_first_version_still_reads() {
        let stored = hex::decode(FIRST_VERSION_ROW).expect("hex");
        assert_eq!(decode(&stored).expect("decodes"), BOOKING);
    }

    const FIRST_VERSION_ROW: &str = "0128b52ffd604001cd04001246151db0271dcd2505f00200018089c525d0941c2bab3a6db97792b2e00eb90447e030aa6ef19b79cad0e5231b159b8fca504804880219100e4902b140f652b4abb54e378d1654c0f558de963b96d2242d87bbffee6d291700458c48c150f0407ce0803162bb02257744c40183160046804a06d080503200a0810080c39d42102466fe0328f382b25c0a12889f2a8040f609122700446720";
}
