import Foundation
import SamplerService
import Shared

/// `imgrec scan`: judges every image of a folder locally, without any service running; a scan that takes
/// longer than a few seconds reports its progress on standard error.
public enum ScanCommand {
    static func run(_ options: CommandLineOptions) throws -> Int32 {
        try output(options).forEach { Console.line($0) }
        return 0
    }

    /// The lines `imgrec scan` prints for `options`: one JSON object per image with `--json`, else a table.
    public static func output(_ options: CommandLineOptions) throws -> [String] {
        guard let directory = options.positional.first else {
            throw ConfigurationError(message: "give the dataset folder, e.g. imgrec scan ./photos --json")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError(message: "'\(directory)' is not a folder")
        }
        let manifest = try ImgrecCLI.manifestOptions(options).map { layout in
            try Manifest(contentsOf: URL(fileURLWithPath: options.string("manifest")!), options: layout)
        }
        // A long scan reports on standard error every few seconds, leaving standard output to the results.
        var lastReport = Date()
        let scan = try DatasetScanner().scan(directory: URL(fileURLWithPath: directory), manifest: manifest) {
            done, total in
            guard done < total, Date().timeIntervalSince(lastReport) >= 2 else { return }
            lastReport = Date()
            ImgrecCLI.printError("scan: \(done)/\(total) files read")
        }

        if options.flag("json") {
            return scan.jsonLines()
        }
        let width = scan.images.map(\.file.count).max() ?? 0
        let rows = scan.images.map { image in
            let file = image.file.padding(toLength: width, withPad: " ", startingAt: 0)
            let verdict = image.verdict.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            return "\(file)  \(verdict)  \(image.evidence.joined(separator: "; "))"
        }
        let counts = VerdictCounts(scan.images)
        return rows + ["\(scan.images.count) images: real \(counts.real), ai \(counts.ai), unknown \(counts.unknown)"]
    }
}
