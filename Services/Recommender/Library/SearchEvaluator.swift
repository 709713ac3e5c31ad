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

    /// The ranks of one method: for each query, the 1-based rank of its first relevant image, `nil` when none is
    /// among the first `SearchIndex.maxResults`.
    public struct MethodRanks: Sendable, Equatable {
        /// The method.
        public var method: String
        /// One rank per query, in the order of the queries.
        public var ranks: [Int?]

        /// Creates the ranks of one method.
        public init(method: String, ranks: [Int?]) {
            self.method = method
            self.ranks = ranks
        }
    }

    /// Reads a CSV with the header `query,relevant` or `query,relevant,split`, where `relevant` lists files
    /// separated by `;`. Fields may be double-quoted (with `""` for a quote); blank lines are skipped.
    /// - Throws: `RecommenderError` naming the line of a row without a query or files, a quote that is not
    ///   closed, or a query longer than `SearchIndex.maxQueryCharacters`.
    public static func queries(csv text: String) throws -> [Query] {
        var rows = try csvRows(text, code: "invalid_queries")
        guard let header = rows.first?.fields, header.count >= 2, header[0] == "query", header[1] == "relevant" else {
            throw RecommenderError(.badRequest, "invalid_queries", "the query file must start with query,relevant")
        }
        rows.removeFirst()
        guard !rows.isEmpty else {
            throw RecommenderError(.badRequest, "invalid_queries", "the query file has a header but no queries")
        }
        let hasSplit = header.count >= 3 && header[2] == "split"
        return try rows.map { line, row in
            guard row.count >= 2, !row[0].allSatisfy(\.isWhitespace), !row[1].isEmpty else {
                throw RecommenderError(.badRequest, "invalid_queries", "line \(line) needs a query and files")
            }
            // A query the index would refuse is a fault of the file, found here before any model is built.
            let length = row[0].unicodeScalars.count
            guard length <= SearchIndex.maxQueryCharacters else {
                throw RecommenderError(
                    .badRequest, "invalid_queries",
                    "line \(line): the query has \(length) characters, more than the limit of "
                        + "\(SearchIndex.maxQueryCharacters)")
            }
            let files = row[1].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let split = hasSplit && row.count >= 3 && !row[2].isEmpty ? row[2] : nil
            return Query(text: row[0], relevantFiles: Set(files), split: split)
        }
    }

    /// Reads a CSV with the header `file,caption` into captioned images whose id is the file name: the input
    /// of an evaluation model build. Blank lines are skipped.
    /// - Throws: `RecommenderError` naming the line of a row without a file or caption, or of a quote that is
    ///   not closed.
    public static func captions(csv text: String) throws -> [ImageCaption] {
        var rows = try csvRows(text, code: "invalid_captions")
        guard let header = rows.first?.fields, header.count >= 2, header[0] == "file", header[1] == "caption" else {
            throw RecommenderError(.badRequest, "invalid_captions", "the caption file must start with file,caption")
        }
        rows.removeFirst()
        return try rows.map { line, row in
            guard row.count >= 2, !row[0].isEmpty else {
                throw RecommenderError(.badRequest, "invalid_captions", "line \(line) needs a file and a caption")
            }
            return ImageCaption(id: row[0], file: row[0], caption: row[1])
        }
    }

    /// The rank (1-based) of the first relevant image of each query, per servable method of `index` in the
    /// model's method order; `nil` where no relevant image is among the first `SearchIndex.maxResults`.
    public static func ranks(_ index: SearchIndex, queries: [Query]) throws -> [MethodRanks] {
        try index.methodNames.filter { index.methods[$0] != nil }.map { method in
            let ranks = try queries.map { query in
                try index.search(query.text, k: SearchIndex.maxResults, method: method).results.map(\.file)
                    .firstIndex(where: query.relevantFiles.contains).map { $0 + 1 }
            }
            return MethodRanks(method: method, ranks: ranks)
        }
    }

    /// Evaluates every servable method of `index` on `queries`, in the model's method order.
    public static func evaluate(_ index: SearchIndex, queries: [Query]) throws -> [MethodResult] {
        try summarize(ranks(index, queries: queries), queries: queries.count)
    }

    /// Recall@1/5/10 and MRR from the per-query ranks that `ranks(_:queries:)` returns.
    public static func summarize(_ ranking: [MethodRanks], queries: Int) -> [MethodResult] {
        ranking.map { methodRanks in
            let found = methodRanks.ranks.compactMap { $0 }
            let count = Double(max(queries, 1))
            func recall(_ k: Int) -> Double { Double(found.filter { $0 <= k }.count) / count }
            return MethodResult(
                method: methodRanks.method, queries: queries, recallAt1: recall(1), recallAt5: recall(5),
                recallAt10: recall(10),
                meanReciprocalRank: found.reduce(0) { $0 + 1 / Double($1) } / count)
        }
    }

    /// A CSV of the per-query ranks: `query,split,` then one column per method holding the rank of the first
    /// relevant image (empty when it is not among the first `SearchIndex.maxResults`). The query and the split
    /// are quoted as RFC 4180 says; a query without a split has an empty split field.
    public static func ranksCSV(_ ranking: [MethodRanks], queries: [Query]) -> String {
        func quoted(_ field: String) -> String {
            "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = [(["query", "split"] + ranking.map(\.method)).joined(separator: ",")]
        for (position, query) in queries.enumerated() {
            let ranks = ranking.map { $0.ranks[position].map(String.init) ?? "" }
            lines.append(([quoted(query.text), query.split.map(quoted) ?? ""] + ranks).joined(separator: ","))
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

    /// The fields of each non-blank line of `text`, with the line's 1-based number.
    /// - Throws: `RecommenderError` with `code`, naming the first line whose quote is not closed.
    static func csvRows(_ text: String, code: String) throws -> [(line: Int, fields: [String])] {
        var rows = [(line: Int, fields: [String])]()
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !line.isEmpty {
            guard let fields = parseCSVLine(String(line)) else {
                throw RecommenderError(
                    .badRequest, code,
                    "line \(number + 1): a quote is not closed (a field that holds a quote must be quoted, "
                        + "with the quote doubled)")
            }
            rows.append((number + 1, fields))
        }
        return rows
    }

    /// The fields of one CSV line, or nil when a quoted field is not closed. A field that starts with `"` is
    /// quoted, with `""` inside it for a quote; a quote anywhere else is an ordinary character.
    static func parseCSVLine(_ line: String) -> [String]? {
        var fields = [String]()
        var field = ""
        var quoted = false
        var characters = line.makeIterator()
        var next = characters.next()
        while let character = next {
            next = characters.next()
            if quoted {
                if character != "\"" {
                    field.append(character)
                } else if next == "\"" {
                    field.append("\"")
                    next = characters.next()
                } else {
                    quoted = false
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        guard !quoted else {
            return nil
        }
        fields.append(field)
        return fields
    }
}
