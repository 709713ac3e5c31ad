import Foundation
import Imaging
import Shared

/// Walks a dataset folder, reads every image's metadata and classifies it (see
/// `ProvenanceClassifier.classify(fileBytes:manifestLabel:decoder:)`).
///
/// Files are chosen by extension (`.jpg`, `.jpeg`, `.png`, `.webp`, any case); sidecar `.txt` files,
/// other files, hidden files and symbolic links are skipped, so a scan never leaves the folder. A file
/// with an image extension but other content is kept with verdict `unknown`. Files over
/// `maxImageBytes` are left out and listed in `DatasetScan.notes`.
public struct DatasetScanner: Sendable {
    /// File extensions taken as images (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

    /// Largest file read; bigger ones are skipped.
    public var maxImageBytes: Int

    /// Creates a scanner.
    public init(maxImageBytes: Int = 256 << 20) {
        self.maxImageBytes = maxImageBytes
    }

    /// Scans `directory`, labelling images from `manifest` when given, and calls `progress` with the number
    /// of image files read and the number found once the folder is listed, then after every file. Before each
    /// file it asks `shouldStop`, and stops when told to.
    /// - Throws: `ServiceError` 404 `dataset_not_found` when the folder does not exist, 409 `scan_interrupted`
    ///   when `shouldStop` said so.
    public func scan(
        directory: URL, manifest: Manifest? = nil, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in },
        shouldStop: () -> Bool = { false }
    ) throws -> DatasetScan {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ServiceError.notFound("dataset_not_found", "the dataset folder does not exist")
        }

        var images: [ScannedImage] = []
        var (files, skipped) = imageFiles(under: root)
        progress(0, files.count)
        for (done, (url, relative)) in files.enumerated() {
            if shouldStop() {
                throw ServiceError.conflict("scan_interrupted", "the scan was stopped before it ended")
            }
            defer { progress(done + 1, files.count) }
            // Read without following links: the listing skipped them, but one may have been swapped in since.
            let bytes: [UInt8]
            switch NoFollowReader.read(canonicalPath: root.path + "/" + relative, maxBytes: maxImageBytes) {
            case .bytes(let read):
                bytes = read
            case .tooLarge(let size):
                skipped.append((relative, "\(size) bytes is over the \(maxImageBytes)-byte limit"))
                continue
            case .unreadable:
                skipped.append((relative, "unreadable"))
                continue
            case .changing:
                skipped.append((relative, "it changed while it was read (still being written?); scan again"))
                continue
            }
            // A file named like an image that is none cannot be captioned or shown: it is left out, not sampled.
            guard ImageDecoder.format(of: bytes) != nil else {
                skipped.append((relative, "not a JPEG, PNG or WebP file"))
                continue
            }
            let result = ProvenanceClassifier.classify(fileBytes: bytes, manifestLabel: manifest?.label(for: url))
            images.append(
                ScannedImage(
                    id: Self.imageID(dataset: root.path, file: relative), file: relative, verdict: result.verdict,
                    evidence: result.evidence, sha256: SHA256.hex(bytes), size: bytes.count,
                    warnings: result.warnings))
        }
        let notes = skipped.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map {
            "\($0.0): skipped, \($0.1)"
        }
        return DatasetScan(dataset: root.path, images: images, notes: notes, filesRead: files.count)
    }

    /// The image id: the first 16 hex digits of SHA-256 over the dataset path, a NUL and the relative
    /// path, so it is stable for the same dataset folder and file.
    public static func imageID(dataset: String, file: String) -> String {
        String(SHA256.hex(Array(dataset.utf8) + [0] + Array(file.utf8)).prefix(16))
    }

    /// Whether a path names an image by its extension.
    public static func isImagePath(_ path: String) -> Bool {
        imageExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// Regular image files under `root` (hidden files skipped) with their relative paths, sorted by
    /// relative path, and the relative path and reason of each name that looks like an image but is a
    /// symbolic link (never followed) or not a regular file (a FIFO, a device).
    private func imageFiles(under root: URL) -> (files: [(URL, String)], skipped: [(String, String)]) {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: keys,
                options: [.skipsHiddenFiles])
        else { return ([], []) }
        let rootComponents = root.pathComponents
        var files: [(URL, String)] = []
        var skipped: [(String, String)] = []
        for case let url as URL in walker where Self.isImagePath(url.path) {
            let components = url.standardizedFileURL.pathComponents
            guard components.count > rootComponents.count,
                Array(components.prefix(rootComponents.count)) == rootComponents,
                let values = try? url.resourceValues(forKeys: Set(keys))
            else { continue }
            let relative = components.dropFirst(rootComponents.count).joined(separator: "/")
            if values.isSymbolicLink == true {
                skipped.append((relative, "a symbolic link (links are not followed)"))
            } else if values.isRegularFile != true {
                // A folder named like an image is walked into, not reported.
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true {
                    skipped.append((relative, "not a regular file"))
                }
            } else {
                files.append((url, relative))
            }
        }
        return (files.sorted { $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }, skipped)
    }
}

extension DatasetScan {
    /// One JSON object per image, in file order, with `file`, `verdict`, `evidence`, `sha256`, `size` and,
    /// when the reader skipped something, `warnings`: what `imgrec scan DIR --json` prints.
    public func jsonLines() -> [String] {
        struct Line: Encodable {
            let file: String
            let verdict: ProvenanceVerdict
            let evidence: [String]
            let sha256: String
            let size: Int
            let warnings: [String]?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return images.map { image in
            let line = Line(
                file: image.file, verdict: image.verdict, evidence: image.evidence,
                sha256: image.sha256, size: image.size, warnings: image.warnings)
            let data = (try? encoder.encode(line)) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }
}
