/// Decodes an EXIF UserComment: an 8-byte character-code prefix followed by the text.
///
/// - `ASCII\0\0\0`: ASCII (read as UTF-8 when valid, which many writers use).
/// - `UNICODE\0`: UTF-16. A byte-order mark decides the byte order; without one the TIFF's byte order
///   is the default, but when the other order is clearly the one that fits (ASCII-range text has its
///   zero bytes on the high-byte side) that one is used, because some writers always store big-endian.
/// - `JIS\0\0\0\0\0`: not decoded beyond bytes that are valid UTF-8.
/// - eight NULs (undefined) or anything else: treated as UTF-8/Latin-1 text.
enum UserCommentDecoder {
    /// The decoded comment, trimmed, or nil when empty.
    static func decode(_ value: [UInt8], bigEndian: Bool) -> String? {
        let prefix = Array(value.prefix(8))
        let body = Array(value.dropFirst(8))
        if value.count < 8 {
            return value.uptoNUL.metadataText.metadataTrimmed
        }
        if prefix == Array("UNICODE\0".utf8) {
            return utf16(body, tiffBigEndian: bigEndian)?.metadataTrimmed
        }
        return body.uptoNUL.metadataText.metadataTrimmed
    }

    private static func utf16(_ body: [UInt8], tiffBigEndian: Bool) -> String? {
        var units = body
        var bigEndian = tiffBigEndian
        if units.count >= 2, units[0] == 0xFE, units[1] == 0xFF {
            bigEndian = true
            units.removeFirst(2)
        } else if units.count >= 2, units[0] == 0xFF, units[1] == 0xFE {
            bigEndian = false
            units.removeFirst(2)
        } else {
            bigEndian = likelyBigEndian(units) ?? tiffBigEndian
        }
        if units.count % 2 == 1 { units.removeLast() }

        var codeUnits: [UInt16] = []
        codeUnits.reserveCapacity(units.count / 2)
        var index = 0
        while index + 1 < units.count {
            let (high, low) = bigEndian ? (units[index], units[index + 1]) : (units[index + 1], units[index])
            let unit = UInt16(high) << 8 | UInt16(low)
            if unit == 0 { break }
            codeUnits.append(unit)
            index += 2
        }
        return String(decoding: codeUnits, as: UTF16.self)
    }

    /// True/false when one byte order clearly fits ASCII-range text better; nil when undecided.
    private static func likelyBigEndian(_ units: [UInt8]) -> Bool? {
        var zerosAtEven = 0
        var zerosAtOdd = 0
        for (index, byte) in units.enumerated() where byte == 0 {
            if index % 2 == 0 { zerosAtEven += 1 } else { zerosAtOdd += 1 }
        }
        if zerosAtEven > zerosAtOdd * 2 { return true }
        if zerosAtOdd > zerosAtEven * 2 { return false }
        return nil
    }
}
