import Foundation
import Shared

/// A dataset manifest (a CSV file naming images and their labels), indexed for lookup by image path.
///
/// File entries are resolved against the manifest's own folder, so `images/a.jpg` in `data/train.csv`
/// names `data/images/a.jpg`. An image not found that way is matched by file name alone when exactly
/// one entry has that name.
public struct Manifest: Sendable {
    /// The options the manifest was read with.
    public let options: ManifestOptions
    /// Each listed path's distinct labels, in order of appearance (more than one: the rows disagree).
    private let byPath: [String: [String]]
    private let byName: [String: [String]]

    /// Reads a manifest file.
    /// - Throws: `ServiceError` 404 `not_found` when there is no such file, 400 `manifest_unreadable` for a
    ///   folder, a file that cannot be read or one that is not UTF-8 text, 400 `manifest_invalid`.
    public init(contentsOf url: URL, options: ManifestOptions) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ServiceError.notFound("not_found", "the manifest \(url.path) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw ServiceError.badRequest("manifest_unreadable", "the manifest \(url.path) is a folder, not a CSV file")
        }
        guard let data = try? Data(contentsOf: url) else {
            throw ServiceError.badRequest("manifest_unreadable", "the manifest \(url.path) cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ServiceError.badRequest("manifest_unreadable", "the manifest \(url.path) is not UTF-8 text")
        }
        try self.init(csv: text, baseDirectory: url.deletingLastPathComponent(), options: options)
    }

    /// Indexes manifest text whose file entries are relative to `baseDirectory`.
    /// - Throws: `ServiceError` 400 `manifest_invalid` when a configured column is missing.
    public init(csv text: String, baseDirectory: URL, options: ManifestOptions) throws {
        self.options = options
        let rows = CSVParser.rows(text)
        guard let header = rows.first?.map(\.trimmingWhitespace) else {
            throw ServiceError.badRequest("manifest_invalid", "the manifest is empty")
        }
        guard let fileIndex = header.firstIndex(of: options.fileColumn) else {
            throw ServiceError.badRequest("manifest_invalid", "the manifest has no column '\(options.fileColumn)'")
        }
        guard let labelIndex = header.firstIndex(of: options.labelColumn) else {
            throw ServiceError.badRequest("manifest_invalid", "the manifest has no column '\(options.labelColumn)'")
        }

        var byPath: [String: [String]] = [:]
        var pathsByName: [String: Set<String>] = [:]
        for row in rows.dropFirst() where row.count > max(fileIndex, labelIndex) {
            let file = row[fileIndex].trimmingWhitespace
            guard !file.isEmpty else { continue }
            let label = row[labelIndex].trimmingWhitespace
            let path = Self.key(baseDirectory.appendingPathComponent(file))
            if !(byPath[path]?.contains(label) ?? false) { byPath[path, default: []].append(label) }
            pathsByName[(file as NSString).lastPathComponent, default: []].insert(path)
        }
        self.byPath = byPath
        // A bare file name matches only when one listed path has it.
        self.byName = pathsByName.compactMapValues { paths in
            paths.count == 1 ? paths.first.flatMap { byPath[$0] } : nil
        }
    }

    /// Number of labelled entries.
    public var count: Int { byPath.count }

    /// The label for the image at `url`, or nil when the manifest does not list it.
    /// Rows that disagree about a file make no label decide: the verdict is nil and the evidence says why.
    public func label(for url: URL) -> ManifestLabel? {
        guard let labels = byPath[Self.key(url)] ?? byName[url.lastPathComponent], let first = labels.first else {
            return nil
        }
        let value = labels.joined(separator: "|")
        return ManifestLabel(
            column: options.labelColumn, value: value, verdict: options.verdict(forLabel: first),
            isConflicting: labels.count > 1)
    }

    private static func key(_ url: URL) -> String {
        url.standardizedFileURL.path
    }
}
