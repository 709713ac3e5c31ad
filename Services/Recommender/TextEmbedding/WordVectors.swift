import Foundation
import Shared
import Tensors

/// A word-vector table (GloVe) memory-mapped from imgrec's word-vector file (see `WordVectorFormat`): lookups
/// binary-search the mapped vocabulary, so opening costs no parsing and replicas share the pages.
///
/// Immutable after `init`, so safe to use from any number of threads.
public final class WordVectors: Sendable {
    /// The length of every vector.
    public let dimension: Int
    /// The number of words.
    public let count: Int
    /// The source description stored in the file (package, version, hash).
    public let metadata: [String: String]
    /// The file the table was read from.
    public let url: URL

    private let file: MappedFile
    private let header: WordVectorFormat.Header

    /// Maps a word-vector file and checks its header, section bounds and (unless `verifyChecksum` is false)
    /// its checksums.
    ///
    /// - Throws: `TextEmbeddingError.modelMissing` naming the set-up script when the file is absent,
    ///   `.invalidModel` when it is not a valid version-1 file.
    public init(url: URL, verifyChecksum: Bool = true) throws {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TextEmbeddingError(.modelMissing, "\(url.path) not found; run scripts/setup_models.sh")
        }
        do {
            file = try MappedFile(path: url.path)
        } catch {
            throw TextEmbeddingError(.io, error.message)
        }
        header = try Self.readHeader(file.bytes, path: url.path)
        dimension = header.dimension
        count = header.count

        let body = UnsafeRawBufferPointer(rebasing: file.bytes[WordVectorFormat.headerSize...])
        if verifyChecksum, WordVectorFormat.checksum(body) != header.checksum {
            throw TextEmbeddingError(
                .invalidModel,
                "\(url.path): checksum mismatch; the file is damaged, "
                    + "re-run scripts/setup_models.sh --force")
        }
        let metadataBytes = UnsafeRawBufferPointer(rebasing: file.bytes[header.metadata])
        let decoded = try? JSONSerialization.jsonObject(with: Data(metadataBytes)) as? [String: Any]
        metadata = (decoded ?? [:]).mapValues { "\($0)" }
    }

    /// Maps the word-vector file at a path.
    public convenience init(path: String, verifyChecksum: Bool = true) throws {
        try self.init(url: URL(fileURLWithPath: path), verifyChecksum: verifyChecksum)
    }

    /// The row of `word`, matched byte for byte, or `nil`.
    public func row(for word: String) -> Int? {
        var key = word
        return key.withUTF8 { key in
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                let row = Int(sortedRow(middle))
                let order = compare(wordBytes(row), key)
                if order == 0 { return row }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }

    /// The word stored at a row.
    public func word(at row: Int) -> String {
        String(decoding: wordBytes(row), as: UTF8.self)
    }

    /// The vector of `word`, trying it as given and then lower-cased (GloVe 6B is lower-case), or `nil`.
    public func vector(for word: String) -> [Float]? {
        guard let row = row(for: word) ?? row(for: word.lowercased()) else { return nil }
        return vector(at: row)
    }

    /// The vector stored at a row.
    public func vector(at row: Int) -> [Float] {
        withVector(at: row) { Array($0) }
    }

    /// Calls `body` with the mapped floats of one row, without copying them.
    public func withVector<T>(at row: Int, _ body: (UnsafeBufferPointer<Float>) throws -> T) rethrows -> T {
        precondition((0..<count).contains(row), "row \(row) outside 0..<\(count)")
        let start = file.bytes.baseAddress! + header.matrix + row * dimension * 4
        return try body(UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: dimension))
    }

    private func sortedRow(_ index: Int) -> UInt32 {
        UInt32(littleEndian: file.bytes.load(fromByteOffset: header.sortedRows + index * 4, as: UInt32.self))
    }

    private func wordBytes(_ row: Int) -> UnsafeRawBufferPointer {
        let offsets = header.wordOffsets
        let start = Int(UInt32(littleEndian: file.bytes.load(fromByteOffset: offsets + row * 4, as: UInt32.self)))
        let end = Int(UInt32(littleEndian: file.bytes.load(fromByteOffset: offsets + row * 4 + 4, as: UInt32.self)))
        return UnsafeRawBufferPointer(
            rebasing: file.bytes[(header.strings.lowerBound + start)..<(header.strings.lowerBound + end)])
    }

    /// Byte-wise comparison: negative, zero or positive.
    private func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let shared = min(a.count, b.count)
        if shared > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, shared)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }
}
