import Foundation
import Shared

/// A dense method (`minilm`, `glove`): cosine similarity between the encoded query and each caption's
/// unit-length vector stored in the model file as `<name>.vectors`.
public struct DenseVectorMethod: SearchMethod {
    /// The method's name.
    public let name: String
    private let encoder: any TextEncoder
    private let vectors: Float32Array

    /// Loads the vectors of method `entry` and checks that `encoder` matches the one that built them.
    public init(entry: ModelMethodEntry, file: ModelFile, encoder: any TextEncoder, imageCount: Int) throws {
        vectors = try file.float32("\(entry.name).vectors")
        guard vectors.rows == imageCount, vectors.cols == encoder.dimensions else {
            throw RecommenderError(
                .unavailable, "encoder_mismatch",
                "\(entry.name) vectors are \(vectors.rows)x\(vectors.cols); encoder gives \(encoder.dimensions)")
        }
        if let built = entry.parameters["encoder"], built != encoder.identity {
            throw RecommenderError(
                .unavailable, "encoder_mismatch", "\(entry.name) was built with \(built), not \(encoder.identity)")
        }
        name = entry.name
        self.encoder = try Self.loadWeighting(entry: entry, file: file, encoder: encoder)
    }

    /// Captions encoded per `encodeBatch` call during a build: large enough to keep batching efficient, small
    /// enough that progress is reported every few seconds.
    static let buildBlock = 512

    /// Encodes the captions and adds their unit-length vectors as `<name>.vectors`; with `idfWeighted` and an
    /// encoder that supports it, words are weighted by their idf over `captions` (stored as `<name>.idf`).
    /// `progress` hears how many captions are encoded, before the first block and after each one.
    public static func build(
        name: String, encoder plain: any TextEncoder, captions: [String], idfWeighted: Bool = false,
        into writer: inout ModelFileWriter, progress: ModelBuilder.Progress = { _, _, _ in }
    ) throws -> ModelMethodEntry {
        var parameters = ["encoder": plain.identity, "dimensions": "\(plain.dimensions)", "similarity": "cosine"]
        var sections = ImageTable.sections + ["\(name).vectors"]
        var encoder = plain
        if idfWeighted, let weightable = plain as? any IdfWeightableEncoder {
            let tfidf = TfidfVectorizer(fitting: captions)
            try writer.addStrings("\(name).vocabulary", tfidf.vocabulary)
            let idf = tfidf.idf.map(Float.init)
            try writer.addFloat32("\(name).idf", idf, rows: idf.count, cols: 1)
            encoder = weightable.weighted(by: Dictionary(uniqueKeysWithValues: zip(tfidf.vocabulary, idf)))
            parameters["weighting"] = "tfidf"
            sections += ["\(name).vocabulary", "\(name).idf"]
        } else if plain is any IdfWeightableEncoder {
            parameters["weighting"] = "none"
        }

        var flat = [Float]()
        flat.reserveCapacity(captions.count * encoder.dimensions)
        progress(name, 0, captions.count)
        for start in stride(from: 0, to: captions.count, by: buildBlock) {
            let end = min(start + buildBlock, captions.count)
            for vector in try encoder.encodeBatch(Array(captions[start..<end])) {
                guard vector.count == encoder.dimensions else {
                    throw RecommenderError(
                        .unprocessable, "encoder_failed", "\(name) returned a vector of wrong length")
                }
                flat.append(contentsOf: unitLength(vector))
            }
            progress(name, end, captions.count)
        }
        try writer.addFloat32("\(name).vectors", flat, rows: captions.count, cols: encoder.dimensions)
        return ModelMethodEntry(name: name, parameters: parameters, sections: sections)
    }

    /// `encoder`, weighted by the idf stored with the method when it was built weighted.
    private static func loadWeighting(
        entry: ModelMethodEntry, file: ModelFile, encoder: any TextEncoder
    ) throws -> any TextEncoder {
        guard entry.parameters["weighting"] == "tfidf" else { return encoder }
        guard let weightable = encoder as? any IdfWeightableEncoder else {
            throw RecommenderError(.unavailable, "encoder_mismatch", "\(entry.name) needs a word-weighting encoder")
        }
        let vocabulary = try file.strings("\(entry.name).vocabulary")
        let idf = try file.float32("\(entry.name).idf")
        guard idf.count == vocabulary.count else {
            throw ModelFileError(.inconsistentSection, "\(entry.name) vocabulary and idf differ in count")
        }
        return weightable.weighted(by: Dictionary(zip(vocabulary, idf), uniquingKeysWith: { first, _ in first }))
    }

    /// Cosine similarity of the encoded query with every caption vector.
    public func scores(for query: String) throws -> MethodScores {
        let vector = unitLength(try encoder.encode(query))
        guard vector.count == vectors.cols else {
            throw RecommenderError(.unavailable, "encoder_failed", "\(name) returned a vector of wrong length")
        }
        var scores = [Double](repeating: 0, count: vectors.rows)
        vector.withUnsafeBufferPointer { query in
            for image in 0..<vectors.rows { scores[image] = Double(Self.dot(vectors.row(image), query)) }
        }
        var diagnostics = encoder.diagnostics(for: query)
        if let threshold = encoder.lowConfidenceSimilarity, let best = scores.max() {
            diagnostics["best_similarity"] = String(format: "%.3f", best)
            if best < threshold { diagnostics["confidence"] = "low" }
        }
        return MethodScores(scores: scores, diagnostics: diagnostics)
    }
}

extension DenseVectorMethod {
    /// The dot product of two equally long vectors, eight lanes at a time.
    static func dot(_ left: UnsafeBufferPointer<Float>, _ right: UnsafeBufferPointer<Float>) -> Float {
        var lanes = SIMD8<Float>()
        var position = 0
        while position + 8 <= left.count {
            let a = SIMD8<Float>(left[position..<(position + 8)])
            let b = SIMD8<Float>(right[position..<(position + 8)])
            lanes += a * b
            position += 8
        }
        var sum = lanes.sum()
        while position < left.count {
            sum += left[position] * right[position]
            position += 1
        }
        return sum
    }
}

/// `vector` scaled to unit l2 length; the zero vector stays zero.
func unitLength(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return norm > 0 ? vector.map { $0 / norm } : vector
}
