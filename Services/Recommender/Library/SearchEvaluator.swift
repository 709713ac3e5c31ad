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
        /// The part of the set the query belongs to (`dev` for tuning, `test` held out), when the file says.
        public var split: String?

        /// Creates a query.
        public init(text: String, relevantFiles: Set<String>, split: String? = nil) {
            self.text = text
            self.relevantFiles = relevantFiles
            self.split = split
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

    /// Reads a CSV with the header `query,relevant` or `query,relevant,split`, where `relevant` lists files
    /// separated by `;`. Fields may be double-quoted (with `""` for a quote).
    public static func queries(csv text: String) throws -> [Query] {
        var rows = text.split(whereSeparator: \.isNewline).map { parseCSVLine(String($0)) }
        guard let header = rows.first, header.count >= 2, header[0] == "query", header[1] == "relevant" else {
            throw RecommenderError(.badRequest, "invalid_queries", "the query file must start with query,relevant")
        }
        rows.removeFirst()
        guard !rows.isEmpty else {
            throw RecommenderError(.badRequest, "invalid_queries", "the query file has a header but no queries")
        }
        let hasSplit = header.count >= 3 && header[2] == "split"
        return try rows.enumerated().map { number, row in
            guard row.count >= 2, !row[0].isEmpty, !row[1].isEmpty else {
                throw RecommenderError(.badRequest, "invalid_queries", "line \(number + 2) needs a query and files")
            }
            let files = row[1].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let split = hasSplit && row.count >= 3 && !row[2].isEmpty ? row[2] : nil
            return Query(text: row[0], relevantFiles: Set(files), split: split)
        }
    }

    /// Reads a CSV with the header `file,caption` into captioned images whose id is the file name: the input
    /// of an evaluation model build.
    public static func captions(csv text: String) throws -> [ImageCaption] {
        var rows = text.split(whereSeparator: \.isNewline).map { parseCSVLine(String($0)) }
        guard let header = rows.first, header.count >= 2, header[0] == "file", header[1] == "caption" else {
            throw RecommenderError(.badRequest, "invalid_captions", "the caption file must start with file,caption")
        }
        rows.removeFirst()
        return try rows.enumerated().map { number, row in
            guard row.count >= 2, !row[0].isEmpty else {
                throw RecommenderError(.badRequest, "invalid_captions", "line \(number + 2) needs a file and a caption")
            }
            return ImageCaption(id: row[0], file: row[0], caption: row[1])
        }
    }

    /// The rank (1-based) of the first relevant image of each query, per servable method of `index` in the
    /// model's method order; `nil` where no relevant image is among the first `SearchIndex.maxResults`.
    public static func ranks(_ index: SearchIndex, queries: [Query]) throws -> [(method: String, ranks: [Int?])] {
        try index.methodNames.filter { index.methods[$0] != nil }.map { method in
            let ranks = try queries.map { query in
                try index.search(query.text, k: SearchIndex.maxResults, method: method).results.map(\.file)
                    .firstIndex(where: query.relevantFiles.contains).map { $0 + 1 }
            }
            return (method, ranks)
        }
    }

    /// Evaluates every servable method of `index` on `queries`, in the model's method order.
    public static func evaluate(_ index: SearchIndex, queries: [Query]) throws -> [MethodResult] {
        try summarize(ranks(index, queries: queries), queries: queries.count)
    }

    /// Recall@1/5/10 and MRR from the per-query ranks that `ranks(_:queries:)` returns.
    public static func summarize(_ ranking: [(method: String, ranks: [Int?])], queries: Int) -> [MethodResult] {
        ranking.map { method, ranks in
            let found = ranks.compactMap { $0 }
            let count = Double(max(queries, 1))
            func recall(_ k: Int) -> Double { Double(found.filter { $0 <= k }.count) / count }
            return MethodResult(
                method: method, queries: queries, recallAt1: recall(1), recallAt5: recall(5), recallAt10: recall(10),
                meanReciprocalRank: found.reduce(0) { $0 + 1 / Double($1) } / count)
        }
    }

    /// A CSV of the per-query ranks: `query,split,` then one column per method holding the rank of the first
    /// relevant image (empty when it is not among the first `SearchIndex.maxResults`).
    public static func ranksCSV(_ ranking: [(method: String, ranks: [Int?])], queries: [Query]) -> String {
        var lines = [(["query", "split"] + ranking.map(\.method)).joined(separator: ",")]
        for (position, query) in queries.enumerated() {
            let quoted = "\"" + query.text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let ranks = ranking.map { $0.ranks[position].map(String.init) ?? "" }
            lines.append(([quoted, query.split ?? ""] + ranks).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
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
