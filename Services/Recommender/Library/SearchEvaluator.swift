import Foundation

/// Measures how well each method of a model ranks: Recall@1/5/10 and mean reciprocal rank over a set of
/// queries with known relevant images.
///
/// Recall@k here is the share of queries with at least one relevant image among the first k results (the
/// usual text-to-image retrieval measure); the reciprocal rank is that of the first relevant image within
/// the first 100, else 0.
public enum SearchEvaluator {
    /// One query and the files that answer it.
    public struct Query: Sendable, Equatable {
        /// The query text.
        public var text: String
        /// Files (relative to the dataset root) a person accepts as answers.
        public var relevantFiles: Set<String>

        /// Creates a query.
        public init(text: String, relevantFiles: Set<String>) {
            self.text = text
            self.relevantFiles = relevantFiles
        }
    }

    /// The scores of one method.
    public struct MethodResult: Sendable, Equatable {
        /// The method.
        public var method: String
        /// How many queries were asked.
        public var queries: Int
        /// Share of queries answered within the first 1, 5 and 10 results.
        public var recallAt1: Double
        /// See `recallAt1`.
        public var recallAt5: Double
        /// See `recallAt1`.
        public var recallAt10: Double
        /// Mean reciprocal rank of the first relevant result.
        public var meanReciprocalRank: Double
    }

    /// Reads a CSV with the header `query,relevant`, where `relevant` lists files separated by `;`.
    /// Fields may be double-quoted (with `""` for a quote).
    public static func queries(csv text: String) throws -> [Query] {
        var rows = text.split(whereSeparator: \.isNewline).map { parseCSVLine(String($0)) }
        guard let header = rows.first, header.count >= 2, header[0] == "query", header[1] == "relevant" else {
            throw RecommenderError(.badRequest, "invalid_queries", "the query file must start with query,relevant")
        }
        rows.removeFirst()
        return try rows.enumerated().map { number, row in
            guard row.count >= 2, !row[0].isEmpty, !row[1].isEmpty else {
                throw RecommenderError(.badRequest, "invalid_queries", "line \(number + 2) needs a query and files")
            }
            let files = row[1].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return Query(text: row[0], relevantFiles: Set(files))
        }
    }

    /// Evaluates every servable method of `index` on `queries`, in the model's method order.
    public static func evaluate(_ index: SearchIndex, queries: [Query]) throws -> [MethodResult] {
        try index.methodNames.filter { index.methods[$0] != nil }.map { method in
            var hits = (one: 0, five: 0, ten: 0)
            var reciprocalRanks = 0.0
            for query in queries {
                let files = try index.search(query.text, k: SearchIndex.maxResults, method: method).results.map(\.file)
                guard let rank = files.firstIndex(where: query.relevantFiles.contains).map({ $0 + 1 }) else {
                    continue
                }
                if rank <= 1 { hits.one += 1 }
                if rank <= 5 { hits.five += 1 }
                if rank <= 10 { hits.ten += 1 }
                reciprocalRanks += 1 / Double(rank)
            }
            let count = Double(max(queries.count, 1))
            return MethodResult(
                method: method, queries: queries.count, recallAt1: Double(hits.one) / count,
                recallAt5: Double(hits.five) / count, recallAt10: Double(hits.ten) / count,
                meanReciprocalRank: reciprocalRanks / count)
        }
    }

    /// A Markdown table of the results, one method per row.
    public static func table(_ results: [MethodResult]) -> String {
        var lines = ["| method | queries | R@1 | R@5 | R@10 | MRR |", "|---|---:|---:|---:|---:|---:|"]
        for result in results {
            let figures = [result.recallAt1, result.recallAt5, result.recallAt10, result.meanReciprocalRank]
                .map { String(format: "%.3f", $0) }
            lines.append("| \(result.method) | \(result.queries) | " + figures.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The fields of one CSV line.
    static func parseCSVLine(_ line: String) -> [String] {
        var fields = [String]()
        var field = ""
        var quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    quoted = false
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                if !field.isEmpty { field.append("\"") }
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
