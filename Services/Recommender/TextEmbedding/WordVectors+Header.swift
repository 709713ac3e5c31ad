import Foundation

extension WordVectors {
    /// Decodes and bounds-checks the header of a mapped file.
    static func readHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws -> WordVectorFormat.Header {
        func invalid(_ reason: String) -> TextEmbeddingError {
            TextEmbeddingError(.invalidModel, "\(path): \(reason)")
        }
        guard bytes.count >= WordVectorFormat.headerSize else { throw invalid("too short for a header") }
        guard Array(bytes[0..<8]) == WordVectorFormat.magic else { throw invalid("not an imgrec word-vector file") }
        func u32(_ offset: Int) -> Int {
            Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        func u64(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        func int(_ offset: Int) throws -> Int {
            guard let value = Int(exactly: u64(offset)), value <= bytes.count else {
                throw invalid("header field at byte \(offset) points outside the file")
            }
            return value
        }
        let version = u32(8)
        guard version == WordVectorFormat.version else {
            throw invalid("format version \(version); this build reads version \(WordVectorFormat.version)")
        }

        let header = WordVectorFormat.Header(
            dimension: u32(12), count: try int(16),
            metadata: try int(24)..<(try int(24) + int(32)), strings: try int(40)..<(try int(40) + int(48)),
            wordOffsets: try int(56), sortedRows: try int(64), matrix: try int(72), checksum: (u64(80), u64(88)))
        let sections: [(String, Int, Int)] = [
            ("metadata", header.metadata.lowerBound, header.metadata.count),
            ("strings", header.strings.lowerBound, header.strings.count),
            ("word offsets", header.wordOffsets, (header.count + 1) * 4),
            ("sorted rows", header.sortedRows, header.count * 4),
            ("matrix", header.matrix, header.count * header.dimension * 4),
        ]
        for (name, start, length) in sections {
            guard start >= WordVectorFormat.headerSize, start % WordVectorFormat.alignment == 0,
                length <= bytes.count - start
            else {
                throw invalid("\(name) section (\(length) bytes at \(start)) is misaligned or beyond the file")
            }
        }
        guard (bytes.count - WordVectorFormat.headerSize) % 8 == 0 else { throw invalid("body is truncated") }
        let lastOffset = Int(
            UInt32(
                littleEndian: bytes.load(
                    fromByteOffset: header.wordOffsets + header.count * 4,
                    as: UInt32.self)))
        guard lastOffset == header.strings.count else { throw invalid("word offsets do not match the strings") }
        return header
    }
}
