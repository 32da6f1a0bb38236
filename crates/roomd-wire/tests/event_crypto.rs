//! The DingTalk callback-crypto vectors (`tests/data`, described in `docs/event-crypto.md`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roomd_wire::event_crypto::{CryptoError, EventCipher, SUCCESS, Sealed, signature};
use serde_json::Value;

fn vectors(group: &str, count: usize) -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/event-crypto-vectors.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("read vectors")).expect("parse");
    let group = file[group].as_array().expect("vector group").clone();
    assert_eq!(group.len(), count, "vector count");
    group
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} missing in {}", v["id"]))
}

fn number(v: &Value, key: &str) -> usize {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} missing in {}", v["id"])) as usize
}

fn cipher(v: &Value) -> EventCipher {
    EventCipher::new(text(v, "aes_key"), text(v, "token"), text(v, "appkey")).expect("valid aes_key")
}

fn random16(v: &Value) -> [u8; 16] {
    let bytes = hex::decode(text(v, "random16_hex")).expect("hex");
    assert_eq!(bytes, text(v, "random16").as_bytes(), "{}", v["id"]);
    bytes.try_into().expect("16 bytes")
}

fn open(v: &Value) -> Result<String, CryptoError> {
    cipher(v).open(text(v, "msg_signature"), text(v, "timestamp"), text(v, "nonce"), text(v, "encrypt"))
}

#[test]
fn positive_vectors_seal_byte_for_byte_and_open_back() {
    for v in vectors("vectors", 11) {
        let id = &v["id"];
        let sealed = cipher(&v).seal(text(&v, "plaintext"), text(&v, "timestamp"), text(&v, "nonce"), &random16(&v));
        let sealed = sealed.expect("seal");
        assert_eq!(sealed.encrypt, text(&v, "encrypt"), "{id}");
        assert_eq!(sealed.msg_signature, text(&v, "msg_signature"), "{id}");
        assert_eq!((sealed.timestamp.as_str(), sealed.nonce.as_str()), (text(&v, "timestamp"), text(&v, "nonce")));

        let signed = signature(text(&v, "token"), text(&v, "timestamp"), text(&v, "nonce"), text(&v, "encrypt"));
        assert_eq!(signed, text(&v, "msg_signature"), "{id}");

        let ciphertext = STANDARD.decode(&sealed.encrypt).expect("base64");
        assert_eq!(ciphertext.len(), number(&v, "padded_len"), "{id}");
        assert_eq!(ciphertext.len() % 32, 0, "{id}");
        assert_eq!(number(&v, "unpadded_len") + number(&v, "pad_len"), ciphertext.len(), "{id}");

        assert_eq!(open(&v).as_deref(), Ok(text(&v, "plaintext")), "{id}");
    }
}

#[test]
fn reply_vectors_serialize_to_their_reply_json_and_verify() {
    let replies: Vec<Value> = vectors("vectors", 11).into_iter().filter(|v| v["kind"] == "reply").collect();
    assert_eq!(replies.len(), 2);
    for v in replies {
        let sealed = cipher(&v).seal(SUCCESS, text(&v, "timestamp"), text(&v, "nonce"), &random16(&v)).expect("seal");
        assert_eq!(serde_json::to_value(&sealed).expect("serialize"), v["reply_json"], "{}", v["id"]);

        let body = serde_json::to_vec(&v["reply_json"]).expect("serialize");
        let parsed: Sealed = serde_json::from_slice(&body).expect("reply parses");
        assert_eq!(parsed, sealed);
        assert_eq!(cipher(&v).open_reply(&body).as_deref(), Ok(SUCCESS));
        assert_eq!(cipher(&v).check_success_reply(&body), Ok(()));
    }
}

#[test]
fn known_answers_open_and_reseal_from_their_prefix() {
    for v in vectors("known_answer", 3) {
        let id = &v["id"];
        assert_eq!(open(&v).as_deref(), Ok(text(&v, "plaintext")), "{id}");
        // All three are padded to 32 (pad values above 16), so sealing reproduces them.
        assert!(number(&v, "pad_len") > 16 && number(&v, "padded_len").is_multiple_of(32), "{id}");
        let encrypt = cipher(&v).encrypt(text(&v, "plaintext"), &random16(&v)).expect("encrypt");
        assert_eq!(encrypt, text(&v, "encrypt"), "{id}");
    }
}

#[test]
fn accept_variants_open_to_success() {
    for v in vectors("accept_variants", 2) {
        assert_eq!(open(&v).as_deref(), Ok(text(&v, "plaintext")), "{}", v["id"]);
        assert_eq!(text(&v, "plaintext"), SUCCESS);
    }
}

#[test]
fn the_16_padded_variant_is_shorter_than_a_32_multiple_and_the_newline_one_is_signed_with_its_newlines() {
    let variants = vectors("accept_variants", 2);
    let short = STANDARD.decode(text(&variants[0], "encrypt")).expect("base64");
    assert_eq!(short.len(), 48);

    let lines = &variants[1];
    assert!(text(lines, "encrypt").contains('\n'));
    let stripped = text(lines, "encrypt").replace('\n', "");
    let err =
        cipher(lines).open(text(lines, "msg_signature"), text(lines, "timestamp"), text(lines, "nonce"), &stripped);
    assert_eq!(err, Err(CryptoError::Signature));
}

#[test]
fn negatives_are_refused_with_the_reference_codes() {
    for v in vectors("negative", 6) {
        let id = &v["id"];
        let err = open(&v).expect_err(&id.to_string());
        match v["reference_java_code"].as_u64() {
            Some(code) => assert_eq!(u64::from(err.code()), code, "{id}: {err}"),
            // A wrong key yields garbage; the reference then fails on the length or the appkey.
            None => assert!(matches!(err, CryptoError::Length | CryptoError::Appkey), "{id}: {err}"),
        }
    }
}

#[test]
fn junk_in_encrypt_other_than_whitespace_is_refused() {
    let v = &vectors("vectors", 11)[0];
    let junk = text(v, "encrypt").replacen('+', "-", 1);
    let signed = signature(text(v, "token"), text(v, "timestamp"), text(v, "nonce"), &junk);
    let err = cipher(v).open(&signed, text(v, "timestamp"), text(v, "nonce"), &junk);
    assert_eq!(err.map_err(|e| e.code()), Err(900008));

    let spaced = format!(" {}\r\n", text(v, "encrypt"));
    let signed = signature(text(v, "token"), text(v, "timestamp"), text(v, "nonce"), &spaced);
    let opened = cipher(v).open(&signed, text(v, "timestamp"), text(v, "nonce"), &spaced);
    assert_eq!(opened.as_deref(), Ok(SUCCESS));
}
