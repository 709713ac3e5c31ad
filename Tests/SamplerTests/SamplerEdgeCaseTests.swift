import Foundation
import Shared
import Testing

@testable import SamplerService

/// Requests at the edges: changed files, empty verdict lists, missing manifests, samples of nothing.
@Suite("Sampler edge cases over HTTP")
struct SamplerEdgeCaseTests {
    typealias Support = SamplerTestSupport

    /// A sampler whose only root is a fresh folder holding copies of two demo images.
    private func withCopiedImages(_ body: (RunningSampler, URL) throws -> Void) throws {
        let root = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let dataset = root.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        for name in ["real_exif_01.jpg", "real_exif_02.jpg"] {
            try FileManager.default.copyItem(
                at: Support.demo.appendingPathComponent("images/" + name), to: dataset.appendingPathComponent(name))
        }
        let sampler = try RunningSampler(
            roots: [root.path], databasePath: root.appendingPathComponent("sampler.sqlite").path)
        try body(sampler, dataset)
    }

    @Test func anImageChangedSinceTheScanIsNotServed() throws {
        try withCopiedImages { sampler, dataset in
            let scan = try sampler.client.postJSON(
                "/v1/scans", body: ScanRequest(dataset: dataset.path), as: ScanDocument.self)
            let changed = try #require(scan.images.first { $0.file == "real_exif_01.jpg" })
            let unchanged = try #require(scan.images.first { $0.file == "real_exif_02.jpg" })
            var bytes = try Data(contentsOf: dataset.appendingPathComponent(changed.file))
            bytes[bytes.count - 3] ^= 0xff
            try bytes.write(to: dataset.appendingPathComponent(changed.file))

            let error = sampler.failure { _ = try $0.getBytes("/v1/images/\(changed.id)") }
            #expect(error?.status == 409 && error?.code == "image_changed")
            #expect(error?.message == "the file changed since it was scanned; scan the dataset again")
            let served = try sampler.client.getBytes("/v1/images/\(unchanged.id)")
            #expect(SHA256.hex(served.body) == unchanged.sha256)

            let rescan = try sampler.client.postJSON(
                "/v1/scans", body: ScanRequest(dataset: dataset.path), as: ScanDocument.self)
            #expect(rescan.images.first { $0.id == changed.id }?.sha256 != changed.sha256)
            #expect(
                SHA256.hex(try sampler.client.getBytes("/v1/images/\(changed.id)").body) == SHA256.hex([UInt8](bytes)))
        }
    }

    @Test func anEmptyVerdictListIsRefusedAsEmpty() throws {
        try withCopiedImages { sampler, dataset in
            let scan = try sampler.client.postJSON(
                "/v1/scans", body: ScanRequest(dataset: dataset.path), as: ScanDocument.self)
            let error = sampler.failure {
                _ = try $0.postJSON(
                    "/v1/samples", body: SampleRequest(scanID: scan.scanID, count: 1, seed: 1, verdicts: []),
                    as: SampleDocument.self)
            }
            #expect(error?.status == 400 && error?.code == "invalid_parameter")
            #expect(error?.message.contains("empty") == true)
        }
    }

    @Test func missingManifestsAndFoldersAsManifestsSaySo() throws {
        try withCopiedImages { sampler, dataset in
            func failure(_ manifest: String) -> ServiceError? {
                sampler.failure {
                    _ = try $0.postJSON(
                        "/v1/scans", body: ScanRequest(dataset: dataset.path, manifest: manifest),
                        as: ScanDocument.self)
                }
            }
            let missing = failure(dataset.path + "/train.csv")
            #expect(missing?.status == 404 && missing?.message.contains("does not exist") == true)
            let folder = failure(dataset.path)
            #expect(folder?.status == 400 && folder?.code == "manifest_unreadable")
            #expect(folder?.message.contains("is a folder") == true)
        }
        let direct = #expect(throws: ServiceError.self) {
            try Manifest(contentsOf: URL(fileURLWithPath: "/nonexistent/train.csv"), options: .kaggleAIvsHuman)
        }
        #expect(direct?.status == 404)
        #expect(direct?.message == "the manifest /nonexistent/train.csv does not exist")
    }

    @Test func aSampleOfFewerImagesThanRequestedSaysHowMany() throws {
        try withCopiedImages { sampler, dataset in
            let scan = try sampler.client.postJSON(
                "/v1/scans", body: ScanRequest(dataset: dataset.path), as: ScanDocument.self)
            for (verdicts, held) in [([ProvenanceVerdict.real], 2), ([.unknown], 0)] {
                let request = SampleRequest(scanID: scan.scanID, count: 5, seed: 3, verdicts: verdicts)
                let drawn = try sampler.client.postJSON("/v1/samples", body: request, as: SampleDocument.self)
                let stored = try sampler.client.getJSON("/v1/samples/\(drawn.sampleID)", as: SampleDocument.self)
                for sample in [drawn, stored] {
                    #expect(sample.count == 5 && sample.images.count == held)
                    let expected =
                        held == 0
                        ? "requested 5 images but none are available; the sample is empty"
                        : "requested 5 images but only 2 are available; the sample holds all 2"
                    #expect(sample.note == expected)
                }
            }
        }
    }
}
