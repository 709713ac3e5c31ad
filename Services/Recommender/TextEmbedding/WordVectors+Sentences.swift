import Foundation
import Tensors

extension WordVectors {
    /// The weighted average of the vectors of `words`, and the words that have no vector.
    ///
    /// - Parameters:
    ///   - words: The text's words (for GloVe 6B, lower-case tokens; each is also tried lower-cased).
    ///   - weight: A weight per word occurrence, for instance its IDF for a TF-IDF-weighted average; `nil`
    ///     weighs every occurrence 1. Words with weight 0 count neither towards the average nor as missing.
    /// - Returns: `vector` — the average (all zeros when no word has a vector), not normalised;
    ///   `missing` — distinct out-of-vocabulary words in order of first appearance.
    public func sentenceVector(
        words: [String], weight: ((String) -> Float)? = nil
    ) -> (vector: [Float], missing: [String]) {
        var sum = [Float](repeating: 0, count: dimension)
        var total: Float = 0
        var missing: [String] = []
        var seenMissing: Set<String> = []
        for word in words {
            let factor = weight?(word) ?? 1
            guard factor != 0 else { continue }
            guard let row = row(for: word) ?? row(for: word.lowercased()) else {
                if seenMissing.insert(word).inserted { missing.append(word) }
                continue
            }
            withVector(at: row) { vector in
                for c in 0..<dimension { sum[c] += factor * vector[c] }
            }
            total += factor
        }
        if total != 0 {
            for c in sum.indices { sum[c] /= total }
        }
        return (sum, missing)
    }

    /// The same average with the weights given as a dictionary (words absent from it weigh `defaultWeight`).
    public func sentenceVector(
        words: [String], weights: [String: Float], defaultWeight: Float = 1
    ) -> (vector: [Float], missing: [String]) {
        sentenceVector(words: words) { weights[$0] ?? defaultWeight }
    }

    /// The `count` words whose vectors have the highest cosine similarity to `vector`, best first, skipping
    /// the words in `excluding`. A brute-force scan of the whole table with one matrix–vector product.
    public func nearest(
        to vector: [Float], count wanted: Int, excluding: Set<String> = []
    ) -> [(word: String, cosine: Float)] {
        precondition(vector.count == dimension, "query has \(vector.count) values, table has \(dimension)")
        let queryNorm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard queryNorm > 0, wanted > 0, count > 0 else { return [] }

        var scores = [Float](repeating: 0, count: count)
        withVector(at: 0) { first in
            vector.withUnsafeBufferPointer { query in
                scores.withUnsafeMutableBufferPointer { output in
                    BLAS.sgemm(
                        m: count, n: 1, k: dimension, a: first.baseAddress!, lda: dimension,
                        b: query.baseAddress!, ldb: 1, c: output.baseAddress!, ldc: 1)
                }
            }
        }
        var best: [(row: Int, cosine: Float)] = []
        for row in 0..<count {
            let norm = withVector(at: row) { $0.reduce(0) { $0 + $1 * $1 } }.squareRoot()
            guard norm > 0 else { continue }
            let cosine = scores[row] / (norm * queryNorm)
            guard best.count < wanted + excluding.count || cosine > best.last!.cosine else { continue }
            let place = best.firstIndex { $0.cosine < cosine } ?? best.count
            best.insert((row, cosine), at: place)
            if best.count > wanted + excluding.count { best.removeLast() }
        }
        return best.lazy.map { (word: self.word(at: $0.row), cosine: $0.cosine) }
            .filter { !excluding.contains($0.word) }.prefix(wanted).map { $0 }
    }
}
