import CCrypto

/// SHA-256 over raw memory, so that memory-mapped sections are hashed in place without a copy.
enum ModelFileDigest {
    /// The 32-byte SHA-256 digest of raw memory.
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        digest.withUnsafeMutableBufferPointer { out in
            // A null base with zero length is valid input for the one-shot digest.
            _ = CCrypto.SHA256(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, out.baseAddress)
        }
        return digest
    }

    /// Lower-case hex SHA-256 of raw memory.
    static func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(sha256(bytes))
    }

    /// Lower-case hex SHA-256 of a byte array.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { sha256Hex($0) }
    }

    /// Lower-case hex text of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
