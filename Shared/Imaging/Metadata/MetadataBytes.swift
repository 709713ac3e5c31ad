/// Bounds-checked reads over a file's bytes. Every read past either end returns nil instead of trapping,
/// so the format parsers can treat hostile offsets and lengths as "not there".
struct MetadataBytes {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    func u8(_ offset: Int) -> UInt8? {
        offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    func u16(_ offset: Int, bigEndian: Bool) -> UInt16? {
        guard let pair = slice(offset, 2) else { return nil }
        let (first, second) = (UInt16(pair[0]), UInt16(pair[1]))
        return bigEndian ? first << 8 | second : second << 8 | first
    }

    func u32(_ offset: Int, bigEndian: Bool) -> UInt32? {
        guard let quad = slice(offset, 4) else { return nil }
        let values = quad.map(UInt32.init)
        return bigEndian
            ? values[0] << 24 | values[1] << 16 | values[2] << 8 | values[3]
            : values[3] << 24 | values[2] << 16 | values[1] << 8 | values[0]
    }

    /// `length` bytes from `offset`, or nil when any part lies outside the data.
    func slice(_ offset: Int, _ length: Int) -> [UInt8]? {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else { return nil }
        return Array(bytes[offset..<(offset + length)])
    }

    /// Whether `prefix` occurs at `offset`.
    func matches(_ prefix: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= bytes.count, prefix.count <= bytes.count - offset else { return false }
        for (index, byte) in prefix.enumerated() where bytes[offset + index] != byte {
            return false
        }
        return true
    }
}

extension Array where Element == UInt8 {
    /// The index of the first occurrence of `needle` at or after `start`, or nil.
    func metadataIndex(of needle: [UInt8], from start: Int = 0) -> Int? {
        guard let first = needle.first, start >= 0, needle.count <= count else { return nil }
        var index = start
        let last = count - needle.count
        while index <= last {
            if self[index] == first {
                var matched = true
                for offset in 1..<needle.count where self[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The bytes as text: UTF-8 when valid, otherwise Latin-1 (which never fails).
    var metadataText: String {
        if let text = String(validating: self, as: UTF8.self) { return text }
        return latin1Text
    }

    /// The bytes as Latin-1 text, the encoding PNG `tEXt`/`zTXt` chunks use.
    var latin1Text: String {
        String(String.UnicodeScalarView(map { Unicode.Scalar($0) }))
    }

    /// The bytes up to (not including) the first NUL.
    var uptoNUL: [UInt8] {
        guard let end = firstIndex(of: 0) else { return self }
        return Array(self[..<end])
    }
}

extension String {
    /// The string trimmed of whitespace and NULs, or nil when nothing is left.
    var metadataTrimmed: String? {
        let trimmed = trimmingCharactersMetadata()
        return trimmed.isEmpty ? nil : trimmed
    }

    private func trimmingCharactersMetadata() -> String {
        let isPadding: (Character) -> Bool = { $0.isWhitespace || $0 == "\0" }
        guard let start = firstIndex(where: { !isPadding($0) }),
            let end = lastIndex(where: { !isPadding($0) })
        else { return "" }
        return String(self[start...end])
    }
}
