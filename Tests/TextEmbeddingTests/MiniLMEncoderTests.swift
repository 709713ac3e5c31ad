import Foundation
import Testing
import TextEmbedding

/// The Swift encoder against sentence-transformers' token ids and embeddings for the same sentences
/// (`scripts/minilm_reference.py`).
@Suite struct MiniLMEncoderTests {
    struct Reference: Decodable {
        let dimension: Int
        let sentences: [String]
        let ids: [[Int32]]
    }

    static func reference() throws -> (Reference, [[Float]]) {
        let reference = try Fixtures.json("TextEmbedding", "minilm_reference.json", as: Reference.self)
        let data = try Data(contentsOf: Fixtures.url("TextEmbedding", "minilm_embeddings.f32"))
        let floats = data.withUnsafeBytes { raw in
            (0..<data.count / 4).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        let rows = stride(from: 0, to: floats.count, by: reference.dimension).map {
            Array(floats[$0..<$0 + reference.dimension])
        }
        return (reference, rows)
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }

    @Test func designReferenceSentence() throws {
        let encoder = try TestModels.requireEncoder()
        #expect(encoder.tokenize("a dog running on the beach") == [101, 1037, 3899, 2770, 2006, 1996, 3509, 102])
        let embedding = encoder.encode("a dog running on the beach")
        #expect(embedding.count == 384)
        let expected: [Float] = [0.039525, 0.017719, 0.056392, -0.016805, 0.041214]
        #expect(maximumDifference(embedding.prefix(5), expected) < 2e-6, "\(embedding.prefix(5))")
    }

    @Test func tokenIdsMatchSentenceTransformersExactly() throws {
        let encoder = try TestModels.requireEncoder()
        let (reference, _) = try Self.reference()
        #expect(reference.sentences.count >= 50)
        for (sentence, ids) in zip(reference.sentences, reference.ids) {
            #expect(encoder.tokenize(sentence) == ids, "\(sentence.debugDescription)")
        }
    }

    @Test func singleEmbeddingsMatchSentenceTransformers() throws {
        let encoder = try TestModels.requireEncoder()
        let (reference, embeddings) = try Self.reference()
        for (sentence, expected) in zip(reference.sentences, embeddings) {
            let cosine = Self.cosine(encoder.encode(sentence), expected)
            #expect(cosine >= 0.99999, "\(sentence.prefix(60).debugDescription): cosine \(cosine)")
        }
    }

    @Test func batchEmbeddingsMatchSingleOnesInOrder() throws {
        let encoder = try TestModels.requireEncoder()
        let (reference, embeddings) = try Self.reference()
        let batch = encoder.encode(batch: reference.sentences)
        #expect(batch.count == reference.sentences.count)
        for (index, (got, expected)) in zip(batch, embeddings).enumerated() {
            let cosine = Self.cosine(got, expected)
            #expect(cosine >= 0.99999, "sentence \(index): cosine \(cosine)")
        }
        #expect(encoder.encode(batch: []).isEmpty)
    }

    @Test func embeddingsHaveUnitLengthAndRankParaphrasesFirst() throws {
        let encoder = try TestModels.requireEncoder()
        let query = encoder.encode("puppy playing on the sand")
        let norm = query.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
        let dogs = encoder.encode("a dog running on the beach")
        let city = encoder.encode("a black and white photo of a city street")
        #expect(Self.cosine(query, dogs) > Self.cosine(query, city) + 0.2)
    }

    @Test func concurrentCallsGiveTheSameEmbeddings() async throws {
        let encoder = try TestModels.requireEncoder()
        let texts = ["a dog running on the beach", "two giraffes in a field", "北京的秋天很美丽", ""]
        let expected = texts.map { encoder.encode($0) }
        let results = await withTaskGroup(of: (Int, [Float]).self) { group in
            for round in 0..<16 {
                group.addTask { (round % texts.count, encoder.encode(texts[round % texts.count])) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (index, embedding) in results {
            #expect(maximumDifference(embedding, expected[index]) < 1e-6)
        }
    }

    @Test func missingModelFolderNamesTheSetUpScript() {
        let folder = URL(fileURLWithPath: "/nonexistent/minilm")
        #expect {
            _ = try MiniLMEncoder(directory: folder)
        } throws: { error in
            let failure = error as? TextEmbeddingError
            return failure?.code == .modelMissing && failure?.message.contains("setup_models.sh") == true
        }
    }
}
