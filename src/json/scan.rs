//! Finding the bytes that end the plain run of a JSON string.

/// The position of the first byte at or after `from` that is special in a
/// JSON string, one a writer must escape and a parser must stop at (`"`,
/// `\\`, a control character), eight bytes at a time.
pub(crate) fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `w` is zero: the classic "has zero byte" test.
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        // Bytes below 0x20 (none of them has the high bit set after
        // the subtraction unless it was below), or equal to `"` or `\\`.
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let hit =
            control | zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')));
        if hit != 0 {
            // The lowest flagged byte is the first one (little-endian);
            // borrows only run upwards, so it is exact.
            let first = (hit.trailing_zeros() / 8) as usize;
            return Some(at.saturating_add(first));
        }
        at = at.saturating_add(8);
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|i| at.saturating_add(i))
}
