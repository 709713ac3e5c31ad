import Foundation
import Shared
import Testing

@testable import SamplerService

@Suite("Background scans")
struct BackgroundScanTests {
    typealias Support = SamplerTestSupport

    private static let demoImages = Support.demo.appendingPathComponent("images").path

    /// Polls a scan until it leaves `running`, for at most a minute.
    private func finished(_ scanID: String, on sampler: RunningSampler) throws -> ScanDocument {
        let deadline = Date().addingTimeInterval(60)
        while true {
            let scan = try sampler.client.getJSON("/v1/scans/\(scanID)", as: ScanDocument.self)
            if scan.status != .running || Date() > deadline { return scan }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    @Test func backgroundScanMatchesAScanWithinTheCall() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sampler = try RunningSampler(
            roots: [Support.demo.path], databasePath: folder.appendingPathComponent("sampler.sqlite").path)

        let request = ScanRequest(dataset: Self.demoImages, background: true)
        let response = try sampler.client.post(
            "/v1/scans", body: Array(try JSONEncoder().encode(request)), contentType: "application/json")
        #expect(response.status == 202)
        let started = try JSONDecoder().decode(ScanDocument.self, from: Data(response.body))
        #expect(response.headers["location"] == "/v1/scans/\(started.scanID)")
        #expect(started.status == .running && started.images.isEmpty)

        let scan = try finished(started.scanID, on: sampler)
        let direct = try sampler.client.postJSON(
            "/v1/scans", body: ScanRequest(dataset: Self.demoImages), as: ScanDocument.self)
        #expect(scan.status == .done && direct.status == .done)
        #expect(scan.images == direct.images && scan.counts == direct.counts && scan.notes == direct.notes)
        #expect(scan.progress == ScanProgress(filesDone: 62, filesTotal: 62))
        #expect(scan.scanID != direct.scanID)
        // Stored: the scan can be fetched again and sampled.
        #expect(try sampler.client.getJSON("/v1/scans/\(direct.scanID)", as: ScanDocument.self) == direct)
        let sample = try sampler.client.postJSON(
            "/v1/samples", body: SampleRequest(scanID: scan.scanID, count: 3, seed: 7), as: SampleDocument.self)
        #expect(sample.images.count == 3)
        #expect(sampler.service.health()["scans_running"] == "0")

        // One scan, one id: no sign, leading zeros or overflow reaches another scan.
        let number = direct.scanID.dropFirst("scan-".count)
        for id in ["scan-999", "scan-0", "scan-+\(number)", "scan-0\(number)", "scan-99999999999999999999", "scan-"] {
            let missing = sampler.failure { _ = try $0.getJSON("/v1/scans/\(id)", as: ScanDocument.self) }
            #expect(missing?.status == 404 && missing?.code == "scan_not_found", "\(id)")
        }
        // A bad path is refused at once, not reported later by the background thread.
        let outside = sampler.failure {
            _ = try $0.postJSON(
                "/v1/scans", body: ScanRequest(dataset: "/etc", background: true), as: ScanDocument.self)
        }
        #expect(outside?.status == 403)
    }

    @Test func noSampleFromARunningScan() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = try SamplerConfiguration(
            port: 0, roots: [Support.demo.path], databasePath: folder.appendingPathComponent("sampler.sqlite").path)
        let service = try SamplerService(configuration: configuration, logger: Logger(label: "test", level: .error))
        let scanID = try service.store.beginScan(dataset: Self.demoImages, manifest: nil, owner: Self.otherHost)

        #expect(try service.scanDocument(scanID).status == .running)
        do {
            _ = try service.drawSample(SampleRequest(scanID: scanID, count: 1, seed: 1))
            Issue.record("a sample was drawn from a running scan")
        } catch let error as ServiceError {
            #expect(error.status == 409 && error.code == "scan_not_ready" && error.message.contains("still running"))
        }
    }

    @Test func aScanLeftRunningIsInterruptedAtTheNextStart() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let databasePath = folder.appendingPathComponent("sampler.sqlite").path
        let scanID = try SamplerStore(path: databasePath).beginScan(dataset: Self.demoImages, manifest: nil)

        let sampler = try RunningSampler(roots: [Support.demo.path], databasePath: databasePath)
        let scan = try sampler.client.getJSON("/v1/scans/\(scanID)", as: ScanDocument.self)
        #expect(scan.status == .interrupted && scan.images.isEmpty)
        #expect(scan.error?.contains("scan again") == true)
        let refused = sampler.failure {
            _ = try $0.postJSON(
                "/v1/samples", body: SampleRequest(scanID: scanID, count: 1, seed: 1), as: SampleDocument.self)
        }
        #expect(refused?.status == 409 && refused?.code == "scan_not_ready")
    }

    /// A sampler on another host that shares the database.
    private static let otherHost = ScanOwner(machine: "another-host", pid: 4242, started: 1234)

    /// A sampler service on a fresh database, and the database's path.
    private func service(in folder: URL) throws -> (SamplerService, String) {
        let databasePath = folder.appendingPathComponent("sampler.sqlite").path
        let configuration = try SamplerConfiguration(port: 0, roots: [Support.demo.path], databasePath: databasePath)
        return (
            try SamplerService(configuration: configuration, logger: Logger(label: "test", level: .error)), databasePath
        )
    }

    @Test func anotherSamplersLiveScanIsLeftRunningAtStart() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let databasePath = folder.appendingPathComponent("sampler.sqlite").path
        let store = try SamplerStore(path: databasePath)
        let live = try store.beginScan(dataset: Self.demoImages, manifest: nil, owner: Self.otherHost)
        let silent = try store.beginScan(
            dataset: Self.demoImages, manifest: nil, owner: Self.otherHost, now: Date().addingTimeInterval(-60))

        let sampler = try RunningSampler(roots: [Support.demo.path], databasePath: databasePath)
        #expect(try sampler.client.getJSON("/v1/scans/\(live)", as: ScanDocument.self).status == .running)
        let stopped = try sampler.client.getJSON("/v1/scans/\(silent)", as: ScanDocument.self)
        #expect(stopped.status == .interrupted && stopped.error?.contains("scan again") == true)
    }

    @Test func aScanIsInterruptedWhenItsHeartbeatStops() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (service, _) = try service(in: folder)
        let scanID = try service.store.beginScan(dataset: Self.demoImages, manifest: nil, owner: Self.otherHost)
        #expect(try service.scanDocument(scanID).status == .running)

        let recent = Date().addingTimeInterval(-(ScanOwner.staleAfter - 5))
        try service.store.heartbeat([scanID: ScanProgress(filesDone: 3, filesTotal: 10)], at: recent)
        let running = try service.scanDocument(scanID)
        #expect(running.status == .running)
        #expect(running.progress == ScanProgress(filesDone: 3, filesTotal: 10), "the owner's progress is reported")

        let silent = Date().addingTimeInterval(-(ScanOwner.staleAfter + 1))
        try service.store.heartbeat([scanID: ScanProgress(filesDone: 4, filesTotal: 10)], at: silent)
        let interrupted = try service.scanDocument(scanID)
        #expect(interrupted.status == .interrupted)
        #expect(interrupted.progress == ScanProgress(filesDone: 4, filesTotal: 10), "how far it came")
        // The owner comes back to life too late: its heartbeat tells it the scan is gone, and neither the
        // heartbeat nor its failure changes the scan.
        #expect(try service.store.heartbeat([scanID: ScanProgress(filesDone: 5, filesTotal: 10)]) == [scanID])
        try service.store.failScan(scanID, reason: "late")
        #expect(try service.scanDocument(scanID).status == .interrupted)
    }

    @Test func aScanOfAProcessGoneFromThisHostIsInterrupted() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (service, _) = try service(in: folder)
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let machine = ScanOwner.current.machine
        let gone = ScanOwner(machine: machine, pid: finished.processIdentifier, started: 1)
        let parent = getppid()
        let alive = ScanOwner(machine: machine, pid: parent, started: try #require(ScanOwner.startTime(of: parent)))
        let reused = ScanOwner(machine: machine, pid: parent, started: alive.started + 1)

        let goneScan = try service.store.beginScan(dataset: Self.demoImages, manifest: nil, owner: gone)
        let aliveScan = try service.store.beginScan(dataset: Self.demoImages, manifest: nil, owner: alive)
        let reusedScan = try service.store.beginScan(dataset: Self.demoImages, manifest: nil, owner: reused)
        #expect(try service.scanDocument(goneScan).status == .interrupted)
        #expect(try service.scanDocument(aliveScan).status == .running)
        #expect(try service.scanDocument(reusedScan).status == .interrupted, "its pid now names another process")
    }

    @Test func finishingAScanAnotherSamplerInterruptedFailsAndStoresNoImages() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SamplerStore(path: folder.appendingPathComponent("sampler.sqlite").path)
        let scanID = try store.beginScan(dataset: Self.demoImages, manifest: nil, owner: Self.otherHost)
        #expect(try store.interruptAbandonedScans { _, _ in true } == [scanID])

        let scan = try DatasetScanner().scan(directory: URL(fileURLWithPath: Self.demoImages))
        let refused = #expect(throws: ServiceError.self) { try store.finishScan(scanID, with: scan) }
        #expect(refused?.code == "scan_interrupted")
        #expect(try store.scanRecord(scanID)?.status == .interrupted)
        #expect(try store.scanImages(scanID)?.isEmpty == true)
    }

    @Test func aHeartbeatLandingAfterTheCheckKeepsTheScanRunning() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SamplerStore(path: folder.appendingPathComponent("sampler.sqlite").path)
        let scanID = try store.beginScan(dataset: Self.demoImages, manifest: nil, owner: Self.otherHost)
        // The owner's heartbeat lands between the judgement and the update.
        let interrupted = try store.interruptAbandonedScans { _, _ in
            _ = try? store.heartbeat([scanID: ScanProgress(filesDone: 1, filesTotal: 2)])
            return true
        }
        #expect(interrupted.isEmpty)
        #expect(try store.scanRecord(scanID)?.status == .running)
    }

    @Test func aDoneScanCountsTheFilesItSkippedAsItsProgressDid() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let images = folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Support.demo.appendingPathComponent("images/real_exif_10.webp"),
            to: images.appendingPathComponent("photo.webp"))
        try Data("not an image".utf8).write(to: images.appendingPathComponent("fake.png"))
        let configuration = try SamplerConfiguration(
            port: 0, roots: [folder.path], databasePath: folder.appendingPathComponent("sampler.sqlite").path)
        let service = try SamplerService(configuration: configuration, logger: Logger(label: "test", level: .error))

        let scan = try service.scan(ScanRequest(dataset: images.path))
        #expect(scan.images.count == 1 && scan.notes.count == 1)
        #expect(scan.progress == ScanProgress(filesDone: 2, filesTotal: 2))
    }

    @Test func metricsCountScansImagesAndSamples() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sampler = try RunningSampler(
            roots: [Support.demo.path], databasePath: folder.appendingPathComponent("sampler.sqlite").path)
        let scan = try sampler.client.postJSON(
            "/v1/scans", body: ScanRequest(dataset: Self.demoImages), as: ScanDocument.self)
        _ = try sampler.client.postJSON(
            "/v1/samples", body: SampleRequest(scanID: scan.scanID, count: 5, seed: 1), as: SampleDocument.self)

        let text = String(decoding: try sampler.client.getBytes("/metrics").body, as: UTF8.self)
        for line in [
            #"sampler_scans_total{status="done"} 1"#, #"sampler_images_scanned_total{verdict="real"} 12"#,
            #"sampler_images_scanned_total{verdict="ai"} 18"#, #"sampler_images_scanned_total{verdict="unknown"} 32"#,
            "sampler_samples_total 1", "sampler_sampled_images_total 5", "sampler_scans_running 0",
        ] {
            #expect(text.contains(line + "\n"), "\(line) missing from\n\(text)")
        }
    }

    @Test func scanOwnerJudgement() throws {
        let now = Date()
        let here = ScanOwner.current
        #expect(ScanOwner(stored: here.stored) == here)
        #expect(
            ScanOwner(stored: "host with spaces 12 34") == ScanOwner(machine: "host with spaces", pid: 12, started: 34))
        #expect(ScanOwner(stored: "no-pid") == nil && ScanOwner(stored: "host 12") == nil)

        #expect(ScanOwner.isAbandoned(owner: nil, heartbeat: now, now: now))
        #expect(ScanOwner.isAbandoned(owner: Self.otherHost, heartbeat: nil, now: now))
        #expect(!ScanOwner.isAbandoned(owner: Self.otherHost, heartbeat: now, now: now))
        #expect(ScanOwner.isAbandoned(owner: Self.otherHost, heartbeat: now.addingTimeInterval(-31), now: now))
        // This very process, which is not running the scan.
        #expect(ScanOwner.isAbandoned(owner: here, heartbeat: now, now: now))
        // Another start with this pid: a predecessor in a restarted container if it has been silent since
        // this process started, once two heartbeat intervals have passed.
        let samePID = ScanOwner(machine: here.machine, pid: here.pid, started: here.started + 1)
        let since = ScanOwner.currentSince
        #expect(!ScanOwner.isAbandoned(owner: samePID, heartbeat: since.addingTimeInterval(1), now: since + 20))
        #expect(!ScanOwner.isAbandoned(owner: samePID, heartbeat: since.addingTimeInterval(-1), now: since + 5))
        #expect(ScanOwner.isAbandoned(owner: samePID, heartbeat: since.addingTimeInterval(-1), now: since + 20))
    }

    @Test func aScannerToldToStopStopsBeforeTheNextFile() throws {
        var read = 0
        let error = #expect(throws: ServiceError.self) {
            _ = try DatasetScanner().scan(directory: URL(fileURLWithPath: Self.demoImages)) { done, _ in
                read = done
            } shouldStop: {
                read >= 3
            }
        }
        #expect(error?.code == "scan_interrupted" && read == 3)
    }

    @Test func scannerReportsProgressAfterEveryFile() throws {
        var reports = [(done: Int, total: Int)]()
        let scan = try DatasetScanner().scan(directory: URL(fileURLWithPath: Self.demoImages)) {
            reports.append(($0, $1))
        }
        #expect(reports.first?.done == 0 && reports.first?.total == 62)
        #expect(reports.map(\.done) == Array(0...62) && reports.allSatisfy { $0.total == 62 })
        #expect(scan.images.count == 62)
    }
}

@Suite("Reader warnings in scans")
struct ScanWarningTests {
    @Test func warningsAreStoredAndServedWithTheImage() throws {
        let folder = try SamplerTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stealth = SamplerTestSupport.stealthFixtures.path
        let sampler = try RunningSampler(
            roots: [stealth], databasePath: folder.appendingPathComponent("sampler.sqlite").path)

        let scan = try sampler.client.postJSON("/v1/scans", body: ScanRequest(dataset: stealth), as: ScanDocument.self)
        let stored = try sampler.client.getJSON("/v1/scans/\(scan.scanID)", as: ScanDocument.self)
        #expect(stored.images == scan.images)
        let bomb = try #require(stored.images.first { $0.file == "gzip_bomb.png" })
        #expect(bomb.warnings == ["stealth: stealth_rgbcomp stream ignored, the payload inflates past 1048576 bytes"])
        let clean = try #require(stored.images.first { $0.file == "rgb_plain.png" })
        #expect(clean.warnings == nil)
    }
}
