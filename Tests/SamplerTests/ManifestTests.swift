import Foundation
import Testing

@testable import SamplerService

@Suite("Manifest CSV")
struct ManifestTests {
    typealias Support = SamplerTestSupport

    @Test func parsesQuotedFieldsAndLineEnds() {
        let text = "\u{FEFF}a,b,c\r\n1,\"two, with comma\",\"say \"\"hi\"\"\"\r\n\n3,\"multi\nline\",\r\n\"\",x,y"
        #expect(
            CSVParser.rows(text) == [
                ["a", "b", "c"], ["1", "two, with comma", "say \"hi\""], ["3", "multi\nline", ""], ["", "x", "y"],
            ])
        #expect(CSVParser.rows("") == [])
        #expect(CSVParser.rows("only") == [["only"]])
    }

    @Test func kaggleLayoutWorksWithThePreset() throws {
        let url = Support.demo.appendingPathComponent("train.csv")
        let manifest = try Manifest(contentsOf: url, options: .kaggleAIvsHuman)
        #expect(manifest.count == 62)
        let real = manifest.label(for: Support.demo.appendingPathComponent("images/real_exif_01.jpg"))
        #expect(real == ManifestLabel(column: "label", value: "0", verdict: .real))
        let ai = manifest.label(for: Support.demo.appendingPathComponent("images/ai_03_comfyui.png"))
        #expect(ai?.verdict == .ai)
        #expect(manifest.label(for: Support.demo.appendingPathComponent("images/missing.png")) == nil)
    }

    @Test func rowsThatDisagreeAboutAFileDecideNothing() throws {
        let csv = "file_name,label\na.jpg,1\na.jpg,0\nb.jpg,0\nb.jpg,0\n"
        let manifest = try Manifest(
            csv: csv, baseDirectory: URL(fileURLWithPath: "/data"), options: .kaggleAIvsHuman)
        let a = try #require(manifest.label(for: URL(fileURLWithPath: "/data/a.jpg")))
        #expect(a.isConflicting && a.verdict == nil && a.value == "1|0")
        #expect(
            manifest.label(for: URL(fileURLWithPath: "/data/b.jpg"))
                == ManifestLabel(column: "label", value: "0", verdict: .real))
        // A repeated row is still one path, so the bare file name still finds it.
        #expect(manifest.label(for: URL(fileURLWithPath: "/elsewhere/b.jpg"))?.verdict == .real)

        let result = ProvenanceClassifier.classify(nil, manifestLabel: a)
        #expect(result.verdict == .unknown)
        #expect(result.evidence.last == "manifest:label=1|0 (rows disagree)")
    }

    @Test func configurableColumnsAndValues() throws {
        let csv = "path;x,kind\nsub/a.jpg,Human\nb.png,GENERATED\nc.png,other\n"
        let options = ManifestOptions(
            fileColumn: "path;x", labelColumn: "kind", realValues: ["human"],
            aiValues: ["generated"])
        let base = URL(fileURLWithPath: "/data/set")
        let manifest = try Manifest(csv: csv, baseDirectory: base, options: options)
        #expect(manifest.label(for: URL(fileURLWithPath: "/data/set/sub/a.jpg"))?.verdict == .real)
        #expect(manifest.label(for: URL(fileURLWithPath: "/data/set/./b.png"))?.verdict == .ai)
        #expect(manifest.label(for: URL(fileURLWithPath: "/elsewhere/b.png"))?.verdict == .ai)
        #expect(manifest.label(for: URL(fileURLWithPath: "/data/set/c.png"))?.verdict == nil)
        #expect(manifest.label(for: URL(fileURLWithPath: "/data/set/c.png"))?.value == "other")
    }

    @Test func missingColumnIsAClearError() {
        #expect(throws: Error.self) {
            try Manifest(csv: "file,label\n", baseDirectory: URL(fileURLWithPath: "/"), options: .kaggleAIvsHuman)
        }
    }
}
