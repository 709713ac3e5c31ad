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
        self.encoder = encoder
    }

    /// Encodes the captions and adds their unit-length vectors as `<name>.vectors`.
    public static func build(
        name: String, encoder: any TextEncoder, captions: [String], into writer: inout ModelFileWriter
    ) throws -> ModelMethodEntry {
        let encoded = try encoder.encodeBatch(captions)
        var flat = [Float]()
        flat.reserveCapacity(captions.count * encoder.dimensions)
        for vector in encoded {
            guard vector.count == encoder.dimensions else {
                throw RecommenderError(.unprocessable, "encoder_failed", "\(name) returned a vector of wrong length")
            }
            flat.append(contentsOf: unitLength(vector))
        }
        try writer.addFloat32("\(name).vectors", flat, rows: captions.count, cols: encoder.dimensions)
        let parameters = ["encoder": encoder.identity, "dimensions": "\(encoder.dimensions)", "similarity": "cosine"]
        return ModelMethodEntry(name: name, parameters: parameters, sections: ImageTable.sections + ["\(name).vectors"])
    }

    /// Cosine similarity of the encoded query with every caption vector.
    public func scores(for query: String) throws -> MethodScores {
        let vector = unitLength(try encoder.encode(query))
        guard vector.count == vectors.cols else {
            throw RecommenderError(.unavailable, "encoder_failed", "\(name) returned a vector of wrong length")
        }
        var scores = [Double](repeating: 0, count: vectors.rows)
        vector.withUnsafeBufferPointer { query in
            for image in 0..<vectors.rows {
                let row = vectors.row(image)
                var sum: Float = 0
                for position in 0..<row.count { sum += row[position] * query[position] }
                scores[image] = Double(sum)
            }
        }
        return MethodScores(scores: scores, diagnostics: encoder.diagnostics(for: query))
    }
}

/// `vector` scaled to unit l2 length; the zero vector stays zero.
func unitLength(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return norm > 0 ? vector.map { $0 / norm } : vector
}
