extension ModelFile {
    /// Opens and verifies the file at `path` and describes it; this is what `imgrec model inspect FILE` prints.
    public static func inspect(path: String) throws -> String {
        try ModelFile(path: path).inspection()
    }

    /// A readable description: format, creation time, methods with their parameters, and every section.
    public func inspection() -> String {
        var lines = [
            "model file: \(path) (\(byteCount) bytes, verified)",
            "format version: \(formatVersion)",
            "created at: \(header.createdAt)",
            "header sha256: \(headerSHA256)",
            "default method: \(header.defaultMethod.isEmpty ? "(none)" : header.defaultMethod)",
        ]

        lines.append("parameters:\(header.parameters.isEmpty ? " (none)" : "")")
        for (key, value) in header.parameters.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(key) = \(value)")
        }

        lines.append("methods:\(header.methods.isEmpty ? " (none)" : "")")
        for method in header.methods {
            lines.append("  \(method.name): sections \(method.sections.joined(separator: ", "))")
            for (key, value) in method.parameters.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(key) = \(value)")
            }
        }

        lines.append("sections:")
        let rows = header.sections.map { section -> [String] in
            let shape = section.rows > 0 || section.cols > 0 ? "\(section.rows)x\(section.cols)" : "-"
            return [
                section.name, section.kind.rawValue, "\(section.offset)", "\(section.length)", "\(section.count)",
                shape, String(section.sha256.prefix(16)),
            ]
        }
        let titles = ["name", "kind", "offset", "bytes", "count", "shape", "sha256"]
        let widths = titles.indices.map { column in
            ([titles] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [titles] + rows {
            let cells = row.enumerated().map { column, cell in
                cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            lines.append("  " + cells.joined(separator: "  ").trimmingTrailingSpaces())
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
