//! DingTalk event-callback crypto ("DingCallbackCrypto"): AES-256-CBC over a hand-padded buffer and a SHA-1
//! signature over four sorted strings. Section numbers refer to `docs/event-crypto.md`.
//!
//! Pure functions only: the caller supplies the random prefix and the nonce (from a CSPRNG).

use std::fmt;

use aes::Aes256;
use base64::Engine;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use serde::{Deserialize, Deserializer, Serialize};
use sha1::{Digest, Sha1};

/// The plaintext every reply must carry (§5).
pub const SUCCESS: &str = "success";

/// Length of the `aes_key` DingTalk hands out (§1).
const AES_KEY_LEN: usize = 43;
/// Padding goes to a multiple of 32, not AES's 16: DingTalk and the references do (§2, §7.2).
const PAD_BLOCK: usize = 32;
/// The random prefix in front of the length field.
const PREFIX_LEN: usize = 16;

/// 43 characters carry 258 bits; the lenient decoders of the references ignore the last 2, so must we (§1.4).
const KEY_ENGINE: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true));

/// Why sealing or opening failed; [`CryptoError::code`] gives the Java reference's number (§8).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("aes_key must be 43 standard base64 characters")]
    BadKey,
    #[error("msg_signature does not match")]
    Signature,
    #[error("message is too long for the 32-bit length field")]
    TooLong,
    #[error("encrypt is not base64 of a non-empty whole number of AES blocks")]
    Decrypt,
    #[error("decrypted padding or length field is invalid")]
    Length,
    #[error("decrypted appkey does not match")]
    Appkey,
    #[error("decrypted message is not valid UTF-8")]
    Utf8,
    #[error("malformed reply: {0}")]
    BadReply(String),
    #[error("reply does not decrypt to \"success\"")]
    NotSuccess,
}

impl CryptoError {
    /// The reference's error code. `Utf8`, `BadReply` and `NotSuccess` have none of their own (the reference
    /// never raises them) and report its generic decrypt failure, 900008.
    pub fn code(&self) -> u32 {
        match self {
            CryptoError::BadKey => 900004,
            CryptoError::Signature => 900006,
            CryptoError::TooLong => 900007,
            CryptoError::Decrypt | CryptoError::Utf8 | CryptoError::BadReply(_) | CryptoError::NotSuccess => 900008,
            CryptoError::Length => 900009,
            CryptoError::Appkey => 900010,
        }
    }
}

/// The reply body `{"msg_signature","timeStamp","nonce","encrypt"}` (§5), sent and parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub msg_signature: String,
    /// The PHP port sends a JSON number here; it is signed as its decimal text.
    #[serde(rename = "timeStamp", deserialize_with = "string_or_integer")]
    pub timestamp: String,
    pub nonce: String,
    pub encrypt: String,
}

fn string_or_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stamp {
        Text(String),
        Integer(u64),
    }
    Ok(match Stamp::deserialize(deserializer)? {
        Stamp::Text(text) => text,
        Stamp::Integer(n) => n.to_string(),
    })
}

/// Lowercase hex SHA-1 of the four strings sorted in byte order and concatenated (§4).
pub fn signature(token: &str, timestamp: &str, nonce: &str, encrypt: &str) -> String {
    let mut parts = [token, timestamp, nonce, encrypt];
    parts.sort_unstable();
    let mut sha1 = Sha1::new();
    for part in parts {
        sha1.update(part.as_bytes());
    }
    hex::encode(sha1.finalize())
}

/// One app's key, token and appkey: seals outgoing messages and opens incoming ones.
pub struct EventCipher {
    key: [u8; 32],
    iv: [u8; 16],
    token: String,
    appkey: String,
}

// By hand, so that the key and the token never reach a log.
impl fmt::Debug for EventCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventCipher").field("appkey", &self.appkey).finish_non_exhaustive()
    }
}

impl EventCipher {
    /// Key = base64(`aes_key` + "="), IV = its first 16 bytes (§1).
    pub fn new(aes_key: &str, token: &str, appkey: &str) -> Result<Self, CryptoError> {
        if aes_key.len() != AES_KEY_LEN {
            return Err(CryptoError::BadKey);
        }
        let decoded = KEY_ENGINE.decode(format!("{aes_key}=")).map_err(|_| CryptoError::BadKey)?;
        let key: [u8; 32] = decoded.try_into().map_err(|_| CryptoError::BadKey)?;
        let mut iv = [0; 16];
        iv.copy_from_slice(&key[..16]);
        Ok(Self { key, iv, token: token.to_owned(), appkey: appkey.to_owned() })
    }

    /// Standard base64 of AES-256-CBC over `random16 ‖ len ‖ plaintext ‖ appkey ‖ pad` (§2).
    pub fn encrypt(&self, plaintext: &str, random16: &[u8; 16]) -> Result<String, CryptoError> {
        Ok(self.encrypt_buffer(&self.plain_buffer(plaintext, random16)?))
    }

    /// `buf` is already padded to a whole number of blocks.
    fn encrypt_buffer(&self, buf: &[u8]) -> String {
        let cbc = cbc::Encryptor::<Aes256>::new(&self.key.into(), &self.iv.into());
        STANDARD.encode(cbc.encrypt_padded_vec::<NoPadding>(buf))
    }

    /// The AES input: the length field counts UTF-8 bytes; `n = 32 − len mod 32` bytes of value `n` follow.
    fn plain_buffer(&self, plaintext: &str, random16: &[u8; 16]) -> Result<Vec<u8>, CryptoError> {
        let len = u32::try_from(plaintext.len()).map_err(|_| CryptoError::TooLong)?;
        let mut buf = Vec::with_capacity(PREFIX_LEN + 4 + plaintext.len() + self.appkey.len() + PAD_BLOCK);
        buf.extend_from_slice(random16);
        buf.extend_from_slice(&len.to_be_bytes());
        buf.extend_from_slice(plaintext.as_bytes());
        buf.extend_from_slice(self.appkey.as_bytes());
        let pad = PAD_BLOCK - buf.len() % PAD_BLOCK;
        buf.resize(buf.len() + pad, pad as u8); // pad is in 1..=32
        Ok(buf)
    }

    /// Encrypts `plaintext` and signs it with `timestamp` and `nonce`: the reply body, or an outgoing event.
    pub fn seal(
        &self,
        plaintext: &str,
        timestamp: &str,
        nonce: &str,
        random16: &[u8; 16],
    ) -> Result<Sealed, CryptoError> {
        let encrypt = self.encrypt(plaintext, random16)?;
        Ok(Sealed {
            msg_signature: signature(&self.token, timestamp, nonce, &encrypt),
            timestamp: timestamp.to_owned(),
            nonce: nonce.to_owned(),
            encrypt,
        })
    }

    /// Checks the signature over the strings exactly as received, then decrypts (§3).
    pub fn open(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<String, CryptoError> {
        let expected = signature(&self.token, timestamp, nonce, encrypt);
        // Exact bytes, so uppercase hex is refused as the reference refuses it.
        if !constant_time_eq(expected.as_bytes(), msg_signature.as_bytes()) {
            return Err(CryptoError::Signature);
        }
        // The Python3 and Ruby ports break their base64 into lines (§7.4).
        let compact: Vec<u8> = encrypt.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        let ciphertext = STANDARD.decode(compact).map_err(|_| CryptoError::Decrypt)?;
        // A multiple of 16 is enough: the Go and Rust ports pad to 16 (§7.2).
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
            return Err(CryptoError::Decrypt);
        }
        let buf = cbc::Decryptor::<Aes256>::new(&self.key.into(), &self.iv.into())
            .decrypt_padded_vec::<NoPadding>(&ciphertext)
            .map_err(|_| CryptoError::Decrypt)?;
        let (message, appkey) = unpad(&buf).and_then(split_message).ok_or(CryptoError::Length)?;
        if appkey != self.appkey.as_bytes() {
            return Err(CryptoError::Appkey);
        }
        String::from_utf8(message.to_vec()).map_err(|_| CryptoError::Utf8)
    }

    /// Parses a reply body (`timeStamp` as a string or an integer) and opens it.
    pub fn open_reply(&self, body: &[u8]) -> Result<String, CryptoError> {
        let reply: Sealed = serde_json::from_slice(body).map_err(|e| CryptoError::BadReply(e.to_string()))?;
        self.open(&reply.msg_signature, &reply.timestamp, &reply.nonce, &reply.encrypt)
    }

    /// Accepts a reply only if it opens to exactly `success` (§5).
    pub fn check_success_reply(&self, body: &[u8]) -> Result<(), CryptoError> {
        if self.open_reply(body)? == SUCCESS { Ok(()) } else { Err(CryptoError::NotSuccess) }
    }
}

/// Strips the padding: the last byte `n` is in 1..=32 and the last `n` bytes all equal `n` (§3.5).
fn unpad(buf: &[u8]) -> Option<&[u8]> {
    let n = *buf.last()?;
    let body_len = buf.len().checked_sub(usize::from(n))?;
    let (body, pad) = buf.split_at(body_len);
    ((1..=PAD_BLOCK).contains(&usize::from(n)) && pad.iter().all(|&b| b == n)).then_some(body)
}

/// Splits `prefix ‖ len ‖ message ‖ appkey` into message and appkey; `len` must fit (§3.6).
fn split_message(body: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = body.get(PREFIX_LEN..)?.split_first_chunk::<4>()?;
    let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
    (len <= rest.len()).then(|| rest.split_at(len))
}

/// Equality whose running time does not depend on where the inputs first differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    a.len() == b.len() && std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // Key set A of the vectors: its key ends in `R`, whose low 2 bits are not zero.
    const KEY_A: &str = "aA6jvlJn2px8d9d2H3DYQATJFIBsv7ZHjz4h6q8qpKR";
    const KEY_A_HEX: &str = "680ea3be5267da9c7c77d7761f70d84004c914806cbfb6478f3e21eaaf2aa4a4";
    const TOKEN: &str = "9LwwwZZX7AcN2UZskcNSFgx2qUkFCFKG";
    const APPKEY: &str = "dingmr7x2kq9vdz4plw1";

    fn cipher() -> EventCipher {
        EventCipher::new(KEY_A, TOKEN, APPKEY).expect("key A is valid")
    }

    #[test]
    fn the_four_endings_that_differ_only_in_trailing_bits_give_one_key() {
        let stem = &KEY_A[..42];
        for last in ['Q', 'R', 'S', 'T'] {
            let cipher = EventCipher::new(&format!("{stem}{last}"), TOKEN, APPKEY).expect("trailing bits are allowed");
            assert_eq!(hex::encode(cipher.key), KEY_A_HEX, "ending {last}");
            assert_eq!(cipher.iv, cipher.key[..16]);
        }
        let next = EventCipher::new(&format!("{stem}U"), TOKEN, APPKEY).expect("valid key");
        assert_ne!(hex::encode(next.key), KEY_A_HEX);
    }

    #[test]
    fn a_key_of_the_wrong_length_or_alphabet_is_refused_with_900004() {
        for bad in [&KEY_A[..42], &format!("{KEY_A}A"), &format!("{}-", &KEY_A[..42]), &format!("{}=", &KEY_A[..42])] {
            let err = EventCipher::new(bad, TOKEN, APPKEY).expect_err(bad);
            assert_eq!((err.clone(), err.code()), (CryptoError::BadKey, 900004), "{bad}");
        }
    }

    #[test]
    fn positive_vectors_build_the_documented_key_iv_and_aes_input() {
        let file: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/event-crypto-vectors.json")).expect("vectors parse");
        let vectors = file["vectors"].as_array().expect("vectors");
        assert_eq!(vectors.len(), 11);
        for v in vectors {
            let text = |k: &str| v[k].as_str().unwrap_or_else(|| panic!("{k} missing in {}", v["id"]));
            let cipher = EventCipher::new(text("aes_key"), text("token"), text("appkey")).expect("valid key");
            assert_eq!(hex::encode(cipher.key), text("aes_key_bytes_hex"), "{}", v["id"]);
            assert_eq!(hex::encode(cipher.iv), text("iv_hex"), "{}", v["id"]);
            let random16: [u8; 16] = text("random16").as_bytes().try_into().expect("16 bytes");
            let buf = cipher.plain_buffer(text("plaintext"), &random16).expect("short message");
            assert_eq!(hex::encode(&buf), text("plain_buffer_hex"), "{}", v["id"]);
            assert_eq!(buf.len() as u64, v["padded_len"].as_u64().expect("padded_len"), "{}", v["id"]);
        }
    }

    #[test]
    fn an_uppercase_signature_is_refused_and_the_lowercase_one_accepted() {
        let sealed = cipher().seal(SUCCESS, "1716188523417", "TXxJ8fyhQklaZqPM", b"MmmL3IrJE70zrQa3").expect("seal");
        let open = |sig: &str| cipher().open(sig, &sealed.timestamp, &sealed.nonce, &sealed.encrypt);
        assert_eq!(open(&sealed.msg_signature), Ok(SUCCESS.to_owned()));
        assert!(sealed.msg_signature.bytes().any(|b| b.is_ascii_lowercase()), "the case must matter");
        let err = open(&sealed.msg_signature.to_ascii_uppercase()).expect_err("uppercase");
        assert_eq!((err.clone(), err.code()), (CryptoError::Signature, 900006));
    }

    #[test]
    fn a_reply_with_an_integer_time_stamp_is_signed_over_its_decimal_text() {
        let sealed = cipher().seal(SUCCESS, "1716188523", "Zx9Yw8Vu7Ts6Rq5P", b"WelUQl6bCqcBa2fM").expect("seal");
        // The PHP port: a JSON number and `/` escaped as `\/`.
        let body = format!(
            r#"{{"msg_signature":"{}","timeStamp":1716188523,"nonce":"{}","encrypt":"{}"}}"#,
            sealed.msg_signature,
            sealed.nonce,
            sealed.encrypt.replace('/', "\\/"),
        );
        assert!(body.contains("\\/"), "this ciphertext should contain a slash");
        assert_eq!(cipher().open_reply(body.as_bytes()), Ok(SUCCESS.to_owned()));
        assert_eq!(cipher().check_success_reply(body.as_bytes()), Ok(()));

        let other_second = body.replace("1716188523,", "1716188524,");
        assert_eq!(cipher().open_reply(other_second.as_bytes()), Err(CryptoError::Signature));
        let float = body.replace("1716188523,", "1716188523.0,");
        assert!(matches!(cipher().open_reply(float.as_bytes()), Err(CryptoError::BadReply(_))));
    }

    #[test]
    fn a_reply_missing_a_field_or_not_saying_success_is_refused() {
        let sealed = cipher().seal("failure", "1716188523417", "TXxJ8fyhQklaZqPM", b"MmmL3IrJE70zrQa3").expect("seal");
        let body = serde_json::to_vec(&sealed).expect("serialize");
        assert_eq!(cipher().open_reply(&body), Ok("failure".to_owned()));
        assert_eq!(cipher().check_success_reply(&body), Err(CryptoError::NotSuccess));

        let mut missing = serde_json::to_value(&sealed).expect("serialize");
        missing.as_object_mut().expect("object").remove("nonce");
        let err = cipher().open_reply(missing.to_string().as_bytes()).expect_err("no nonce");
        assert!(matches!(&err, CryptoError::BadReply(m) if m.contains("nonce")), "{err}");
        assert!(matches!(cipher().open_reply(b"not json"), Err(CryptoError::BadReply(_))));
    }

    #[test]
    fn a_well_signed_message_with_a_bad_inside_is_refused_with_its_code() {
        let cipher = cipher();
        let good = cipher.plain_buffer("héllo", b"WelUQl6bCqcBa2fM").expect("short message");
        let open = |buf: &[u8]| {
            let encrypt = cipher.encrypt_buffer(buf);
            cipher.open(&signature(TOKEN, "1", "n", &encrypt), "1", "n", &encrypt)
        };
        assert_eq!(open(&good), Ok("héllo".to_owned()));

        let mut not_utf8 = good.clone();
        not_utf8[21] = 0xff; // the second byte of "é"
        assert_eq!(open(&not_utf8), Err(CryptoError::Utf8));

        let mut bad_pad = good.clone();
        bad_pad[good.len() - 2] ^= 1;
        assert_eq!(open(&bad_pad).map_err(|e| e.code()), Err(900009));

        let mut too_long = good.clone();
        too_long[19] = 27; // 6 message bytes + 20 appkey bytes fit, 27 do not
        assert_eq!(open(&too_long).map_err(|e| e.code()), Err(900009));
        too_long[19] = 26;
        assert_eq!(open(&too_long).map_err(|e| e.code()), Err(900010), "the appkey is now empty");

        for short in ["", "dingmr7x2k"] {
            let other = EventCipher::new(KEY_A, TOKEN, short).expect("key A is valid");
            let buf = other.plain_buffer("x", b"WelUQl6bCqcBa2fM").expect("short message");
            assert_eq!(open(&buf), Err(CryptoError::Appkey), "appkey {short:?} is only a prefix");
        }
    }

    #[test]
    fn padding_must_be_1_to_32_bytes_all_of_its_own_value() {
        let mut buf = vec![7u8; 60];
        buf.extend_from_slice(&[4, 4, 4, 4]);
        assert_eq!(unpad(&buf).map(<[u8]>::len), Some(60));
        buf[61] = 3;
        assert_eq!(unpad(&buf), None, "a differing pad byte");
        assert_eq!(unpad(&[0u8; 64]), None, "pad value 0");
        assert_eq!(unpad(&[33u8; 64]), None, "pad value 33");
        assert_eq!(unpad(&[32u8; 16]), None, "pad longer than the buffer");
        assert_eq!(unpad(&[32u8; 32]).map(<[u8]>::len), Some(0));
    }

    #[test]
    fn the_length_field_must_fit_in_what_follows_it() {
        let mut body = vec![b'R'; 16];
        body.extend_from_slice(&3u32.to_be_bytes());
        body.extend_from_slice(b"abcKEY");
        assert_eq!(split_message(&body), Some((&b"abc"[..], &b"KEY"[..])));
        body[16..20].copy_from_slice(&7u32.to_be_bytes());
        assert_eq!(split_message(&body), None);
        body[16..20].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(split_message(&body), None, "read unsigned, so no negative length");
        assert_eq!(split_message(&body[..19]), None, "shorter than prefix and length");
    }
}
