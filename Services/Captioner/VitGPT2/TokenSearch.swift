import Foundation
import Tensors

/// Greedy and beam search over a decoder, with the semantics of transformers' `generate` for one sequence:
/// the sequence starts with the decoder start token, `maxLength` counts that token, and a sequence ends with the
/// end token or at `maxLength`.
///
/// The decoder is reached through `advance(sources, tokens)`: continue row `sources[i]` of the previous call
/// (row 0 of an empty history on the first call) with `tokens[i]` and return the next-token logits, one row
/// per entry of `tokens`.
enum TokenSearch {
    /// The decoder callback: `(sources, tokens) -> logits [tokens.count, vocabulary]`.
    typealias Advance = (_ sources: [Int], _ tokens: [Int]) -> Matrix

    /// transformers' stand-in for minus infinity in beam bookkeeping; `Float(-1e9)` is exact.
    private static let excluded: Float = -1.0e9

    /// Greedy search: the highest logit each step, the first one on ties (`torch.argmax`).
    static func greedy(start: Int, end: Int, maxLength: Int, advance: Advance) -> [Int] {
        var sequence = [start]
        var logits = advance([0], [start])
        while true {
            var best = 0
            for index in 1..<logits.columns where logits[0, index] > logits[0, best] { best = index }
            sequence.append(best)
            if best == end || sequence.count >= maxLength { return sequence }
            logits = advance([0], [best])
        }
    }

    /// Beam search as transformers' `_beam_search` (no sampling, one end token, one returned sequence).
    static func beam(start: Int, end: Int, options: GenerationOptions, advance: Advance) -> [Int] {
        let beams = options.numBeams
        let keep = 2 * beams
        var running = Array(repeating: [start], count: beams)
        var runningScores = [Float](repeating: excluded, count: beams)
        runningScores[0] = 0
        var finished = Array(repeating: [Int](), count: beams)
        var finishedScores = [Float](repeating: excluded, count: beams)
        var finishedFlags = [Bool](repeating: false, count: beams)
        var improvable = true
        var length = 1
        // The first call decodes one row: every beam starts from the same token, so they share it.
        var rowOfBeam = [Int](repeating: 0, count: beams)
        var logits = advance([0], [start])

        while true {
            let logProbabilities = logSoftmax(logits)
            let vocabulary = logits.columns
            let candidates = topCandidates(count: keep, beams: beams, vocabulary: vocabulary) { beam, token in
                logProbabilities[rowOfBeam[beam] * vocabulary + token] + runningScores[beam]
            }
            let hits = candidates.map { $0.token == end || length + 1 >= options.maxLength }
            let sequences = candidates.map { running[$0.beam] + [$0.token] }

            // The best `beams` candidates that did not stop carry on.
            let carried = candidates.indices.map { candidates[$0].score + (hits[$0] ? excluded : 0) }
            let next = topIndices(carried, count: beams)
            let sources = next.map { rowOfBeam[candidates[$0].beam] }
            running = next.map { sequences[$0] }
            runningScores = next.map { carried[$0] }

            // Stopped candidates among the top `beams` compete for the finished slots.
            let allFinished = finishedFlags.allSatisfy { $0 }
            let divisor = Float(pow(Double(length), Double(options.lengthPenalty)))
            var mergedScores = finishedScores
            var mergedFlags = finishedFlags
            for index in candidates.indices {
                var score = candidates[index].score / divisor
                score += allFinished && options.earlyStopping == .enabled ? excluded : 0
                score += improvable ? 0 : excluded
                let stopped = hits[index] && index < beams
                score += stopped ? 0 : excluded
                mergedScores.append(score)
                mergedFlags.append(stopped)
            }
            let mergedSequences = finished + sequences
            let kept = topIndices(mergedScores, count: beams)
            finished = kept.map { mergedSequences[$0] }
            finishedScores = kept.map { mergedScores[$0] }
            finishedFlags = kept.map { mergedFlags[$0] }

            length += 1
            let hypotheticalLength =
                options.earlyStopping == .never && options.lengthPenalty > 0
                ? options.maxLength - 1 : length - 1
            let bestPossible = runningScores[0] / Float(pow(Double(hypotheticalLength), Double(options.lengthPenalty)))
            let worstFinished = finishedScores.min() ?? excluded
            improvable = improvable && finishedFlags.contains { bestPossible > ($0 ? worstFinished : excluded) }
            let everyBeamFinished = finishedFlags.allSatisfy { $0 } && options.earlyStopping == .enabled
            guard improvable, !everyBeamFinished, hits.contains(false) else { return finished[0] }

            rowOfBeam = Array(0..<beams)
            logits = advance(sources, running.map { $0.last! })
        }
    }

    /// One continuation: beam, token and accumulated log-probability.
    private struct Candidate {
        let beam: Int
        let token: Int
        let score: Float
    }

    /// The `count` best (beam, token) pairs by score, best first; on ties the lower flat index comes first.
    private static func topCandidates(
        count: Int, beams: Int, vocabulary: Int,
        score: (Int, Int) -> Float
    ) -> [Candidate] {
        var best: [Candidate] = []
        best.reserveCapacity(count + 1)
        for beam in 0..<beams {
            for token in 0..<vocabulary {
                let value = score(beam, token)
                if best.count == count, let last = best.last, !(value > last.score) { continue }
                var position = best.count
                while position > 0, value > best[position - 1].score { position -= 1 }
                best.insert(Candidate(beam: beam, token: token, score: value), at: position)
                if best.count > count { best.removeLast() }
            }
        }
        return best
    }

    /// Indices of the `count` largest values, largest first; on ties the lower index comes first.
    private static func topIndices(_ values: [Float], count: Int) -> [Int] {
        Array(values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(count))
    }

    /// Row-wise `log_softmax`, flattened: `x - max - log(Σ exp(x - max))`.
    private static func logSoftmax(_ logits: Matrix) -> [Float] {
        var output = logits.values
        let columns = logits.columns
        for row in 0..<logits.rows {
            let base = row * columns
            var maximum = -Float.infinity
            for c in 0..<columns { maximum = max(maximum, output[base + c]) }
            var sum: Float = 0
            for c in 0..<columns { sum += exp(output[base + c] - maximum) }
            let logSum = log(sum)
            for c in 0..<columns { output[base + c] = (output[base + c] - maximum) - logSum }
        }
        return output
    }
}
