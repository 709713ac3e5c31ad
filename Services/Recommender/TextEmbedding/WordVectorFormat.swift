import Foundation

/// imgrec's word-vector file: a vocabulary and a float32 matrix laid out so the file can be memory-mapped and
/// searched in place. Written once by `scripts/setup_models.py` (from GloVe) or by `write(...)`.
///
/// All integers are little-endian. Version 1:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `IMGRWVEC` |
/// | 8 | 4 | version (`UInt32`, 1) |
/// | 12 | 4 | dimension `d` (`UInt32`) |
/// | 16 | 8 | word count `n` (`UInt64`) |
/// | 24 | 8 | metadata offset — UTF-8 JSON object describing the source |
/// | 32 | 8 | metadata length in bytes |
/// | 40 | 8 | strings offset — every word's UTF-8 bytes, concatenated in row order |
/// | 48 | 8 | strings length in bytes |
/// | 56 | 8 | word-offsets offset — `n + 1` `UInt32`, word `i` is strings `[o[i], o[i+1])` |
/// | 64 | 8 | sorted-rows offset — `n` `UInt32` row numbers ordered by their words' bytes |
/// | 72 | 8 | matrix offset — `n × d` `Float32`, row-major, row `i` is word `i`'s vector |
/// | 80 | 8 | checksum: wrapping sum of the body's `UInt64` words |
/// | 88 | 8 | checksum: wrapping sum of `(k + 1) × word[k]` over the body's `UInt64` words |
///
/// The header is 96 bytes; the body is everything after it. Every section starts on a 64-byte boundary (the gaps
/// are zeros) and the file is zero-padded to a multiple of 64 bytes, so the body is a whole number of 8-byte
/// words and the matrix rows can be read as aligned floats. The checksums detect truncation and
/// corruption; they are not a cryptographic hash.
public enum WordVectorFormat {
    /// The first eight bytes of every file.
    public static let magic: [UInt8] = Array("IMGRWVEC".utf8)
    /// The version this code reads and writes.
    public static let version: UInt32 = 1
    /// The size of the header.
    public static let headerSize = 96
    /// Every section starts at a multiple of this.
    public static let alignment = 64

    /// The header fields, decoded.
    struct Header: Equatable {
        var dimension: Int
        var count: Int
        var metadata: Range<Int>
        var strings: Range<Int>
        var wordOffsets: Int
        var sortedRows: Int
        var matrix: Int
        var checksum: (UInt64, UInt64)

        static func == (lhs: Header, rhs: Header) -> Bool {
            lhs.dimension == rhs.dimension && lhs.count == rhs.count && lhs.metadata == rhs.metadata
                && lhs.strings == rhs.strings && lhs.wordOffsets == rhs.wordOffsets
                && lhs.sortedRows == rhs.sortedRows && lhs.matrix == rhs.matrix && lhs.checksum == rhs.checksum
        }
    }

    /// The two checksums of a body whose length is a multiple of 8.
    static func checksum(_ body: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var plain: UInt64 = 0
        var weighted: UInt64 = 0
        for index in 0..<body.count / 8 {
            let word = UInt64(littleEndian: body.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            plain &+= word
            weighted &+= word &* UInt64(index + 1)
        }
        return (plain, weighted)
    }

    /// Writes a word-vector file atomically (a temporary file beside `url`, then a rename).
    ///
    /// - Parameters:
    ///   - words: The vocabulary, one distinct word per matrix row.
    ///   - vectors: `words.count × dimension` floats, row-major.
    ///   - metadata: A JSON-encodable description of the source, stored verbatim.
    public static func write(
        words: [String], vectors: [Float], dimension: Int, metadata: [String: String] = [:], to url: URL
    ) throws {
        precondition(vectors.count == words.count * dimension, "need one row of \(dimension) floats per word")
        precondition(Set(words).count == words.count, "words must be distinct")
        let encoded = words.map { Array($0.utf8) }
        var body: [UInt8] = []
        func padBody() {
            body += [UInt8](repeating: 0, count: (alignment - (headerSize + body.count) % alignment) % alignment)
        }
        func place(_ bytes: [UInt8]) -> Int {
            padBody()
            body += bytes
            return headerSize + body.count - bytes.count
        }
        func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
            values.flatMap { withUnsafeBytes(of: $0.littleEndian) { Array($0) } }
        }

        let metadataBytes = Array(try JSONSerialization.data(withJSONObject: metadata, options: .sortedKeys))
        let strings = encoded.flatMap { $0 }
        let offsets = encoded.reduce(into: [UInt32(0)]) { $0.append($0.last! + UInt32($1.count)) }
        let sorted = encoded.indices.sorted { encoded[$0].lexicographicallyPrecedes(encoded[$1]) }.map(UInt32.init)

        let metadataOffset = place(metadataBytes)
        let stringsOffset = place(strings)
        let offsetsOffset = place(littleEndianBytes(offsets))
        let sortedOffset = place(littleEndianBytes(sorted))
        let matrixOffset = place(littleEndianBytes(vectors.map(\.bitPattern)))
        padBody()
        let (plain, weighted) = body.withUnsafeBytes { checksum($0) }

        var header = magic
        header += littleEndianBytes([version, UInt32(dimension)])
        header += littleEndianBytes([
            UInt64(words.count), UInt64(metadataOffset), UInt64(metadataBytes.count),
            UInt64(stringsOffset), UInt64(strings.count), UInt64(offsetsOffset),
            UInt64(sortedOffset), UInt64(matrixOffset), plain, weighted,
        ])
        let temporary = url.appendingPathExtension("tmp-\(UInt32.random(in: 0 ... .max))")
        try Data(header + body).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw TextEmbeddingError(.io, "cannot move \(temporary.path) to \(url.path): \(reason)")
        }
    }
}
