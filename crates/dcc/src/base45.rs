//! Base45 (RFC 9285), decoding only: the QR text of a DCC.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// `VALUE[c]` is the Base45 value of byte `c`, or 0xff outside the alphabet.
const VALUE: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn value(c: u8) -> Result<u32, &'static str> {
    match VALUE[c as usize] {
        0xff => Err("a character outside the Base45 alphabet"),
        v => Ok(u32::from(v)),
    }
}

/// Decodes Base45 text. Refuses characters outside the alphabet, a single
/// dangling character, and groups whose value does not fit their bytes
/// (RFC 9285 §4.2: such text is invalid, not to be truncated).
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, &'static str> {
    if text.len() % 3 == 1 {
        return Err("a dangling character at the end");
    }
    let mut out = Vec::with_capacity(text.len() / 3 * 2 + 1);
    let mut groups = text.chunks_exact(3);
    for g in &mut groups {
        let n = value(g[0])? + value(g[1])? * 45 + value(g[2])? * 45 * 45;
        if n > 0xffff {
            return Err("a group of three characters above 65535");
        }
        out.extend_from_slice(&(n as u16).to_be_bytes());
    }
    if let [a, b] = groups.remainder() {
        let n = value(*a)? + value(*b)? * 45;
        if n > 0xff {
            return Err("a final pair of characters above 255");
        }
        out.push(n as u8);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn rfc_9285_examples() {
        assert_eq!(decode(b"BB8").unwrap(), b"AB");
        assert_eq!(decode(b"%69 VD92EX0").unwrap(), b"Hello!!");
        assert_eq!(decode(b"UJCLQE7W581").unwrap(), b"base-45");
        assert_eq!(decode(b"QED8WEX0").unwrap(), b"ietf!");
        assert_eq!(decode(b"").unwrap(), b"");
    }

    #[test]
    fn refuses_what_rfc_9285_calls_invalid() {
        assert!(decode(b"GGW").is_err(), "65536 (first value past 16 bits)");
        assert_eq!(decode(b"FGW").unwrap(), [0xff, 0xff]);
        assert!(decode(b"::").is_err(), "a final pair above 255");
        assert_eq!(decode(b"U5").unwrap(), [0xff]);
        assert!(decode(b"A").is_err());
        assert!(decode(b"ABCD").is_err());
        assert!(decode(b"ab").is_err(), "lower case is not Base45");
        assert!(decode("ÁB".as_bytes()).is_err());
    }
}
