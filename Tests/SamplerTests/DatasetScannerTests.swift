import Foundation
import Testing

@testable import SamplerService

@Suite("Dataset scanner")
struct DatasetScannerTests {
    typealias Support = SamplerTestSupport

    @Test func scansTheDemoWithoutSidecars() throws {
        let scan = try DatasetScanner().scan(directory: Support.demo)
        #expect(scan.images.count == 62)
        #expect(scan.images.allSatisfy { $0.file.hasPrefix("images/") && !$0.file.hasSuffix(".txt") })
        #expect(scan.images.map(\.file) == scan.images.map(\.file).sorted())
        #expect(scan.counts == VerdictCounts(real: 12, ai: 18, unknown: 32))
        let stealth = try #require(scan.images.first { $0.file == "images/edge_03_a1111_stealth_alpha.png" })
        #expect(stealth.verdict == .ai)
        #expect(stealth.evidence == ["stealth_pnginfo:alpha_compressed (AUTOMATIC1111)"])

        let pentax = try #require(scan.images.first { $0.file == "images/real_exif_05.jpg" })
        let composite = try #require(scan.images.first { $0.file.hasPrefix("images/edge_02_") })
        #expect(pentax.sha256 != composite.sha256)
        #expect(pentax.sha256.count == 64)
        #expect(pentax.id == DatasetScanner.imageID(dataset: scan.dataset, file: pentax.file))
        #expect(Set(scan.images.map(\.id)).count == 62)
    }

    @Test func manifestFillsInWhereMetadataIsSilent() throws {
        let manifest = try Manifest(
            contentsOf: Support.demo.appendingPathComponent("train.csv"),
            options: .kaggleAIvsHuman)
        let scan = try DatasetScanner().scan(
            directory: Support.demo.appendingPathComponent("images"),
            manifest: manifest)
        let noExif = try #require(scan.images.first { $0.file == "real_noexif_08.jpg" })
        #expect(noExif.verdict == .real)
        #expect(noExif.evidence == ["manifest:label=0"])
        let stealth = try #require(scan.images.first { $0.file == "edge_03_a1111_stealth_alpha.png" })
        #expect(stealth.verdict == .ai)
        #expect(stealth.evidence.first == "stealth_pnginfo:alpha_compressed (AUTOMATIC1111)")
    }

    @Test func skipsSymlinksHiddenAndNonImages() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Support.fixtures.appendingPathComponent("real_camera_exif.jpg")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("nested"),
            withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent("nested/Photo.JPG"))
        try Data("caption".utf8).write(to: folder.appendingPathComponent("nested/Photo.txt"))
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("fake.png"))
        try Data("x".utf8).write(to: folder.appendingPathComponent(".hidden.jpg"))
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("link.jpg"),
            withDestinationURL: source)

        #expect(mkfifo(folder.appendingPathComponent("pipe.webp").path, 0o600) == 0)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("album.jpg"), withIntermediateDirectories: true)

        let scan = try DatasetScanner().scan(directory: folder)
        #expect(scan.images.map(\.file) == ["nested/Photo.JPG"])
        #expect(scan.images[0].verdict == .real)
        #expect(
            scan.notes == [
                "fake.png: skipped, not a JPEG, PNG or WebP file",
                "link.jpg: skipped, a symbolic link (links are not followed)",
                "pipe.webp: skipped, not a regular file",
            ])

        let capped = try DatasetScanner(maxImageBytes: 100).scan(directory: folder)
        #expect(capped.images.isEmpty)
        #expect(
            capped.notes == [
                "fake.png: skipped, not a JPEG, PNG or WebP file",
                "link.jpg: skipped, a symbolic link (links are not followed)",
                "nested/Photo.JPG: skipped, \(try Data(contentsOf: source).count) bytes is over the 100-byte limit",
                "pipe.webp: skipped, not a regular file",
            ])
    }

    @Test func missingFolderIsNotFound() {
        #expect(throws: Error.self) {
            try DatasetScanner().scan(directory: URL(fileURLWithPath: "/nonexistent/imgrec/dataset"))
        }
    }

    @Test func jsonLinesCarryTheFiveFields() throws {
        let scan = try DatasetScanner().scan(directory: Support.fixtures)
        let lines = scan.jsonLines()
        #expect(lines.count == 7)
        let first = try #require(lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["file", "verdict", "evidence", "sha256", "size"])
        #expect(object["file"] as? String == "ai_a1111_parameters.png")
        #expect(object["verdict"] as? String == "ai")
        #expect(!first.contains("\n"))
    }
}
