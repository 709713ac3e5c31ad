import Foundation
import Imaging
import Shared
import Synchronization

/// The sampler service: scans datasets under its roots, classifies their images, draws reproducible
/// samples of real photos and serves image bytes and sidecar captions.
public final class SamplerService: Sendable {
    /// Largest sidecar text file served.
    static let maxSidecarBytes = 1 << 20

    /// The configuration the service runs with.
    public let configuration: SamplerConfiguration
    let store: SamplerStore
    let guardrail: PathGuard
    let logger: Logger
    let metrics = SamplerMetrics()
    /// Progress of the scans this process is running, by scan id.
    private let runningScans = Mutex<[String: ScanProgress]>([:])
    /// The ids of those that run in the background (the others run within a request).
    private let backgroundScans = Mutex<Set<String>>([])
    /// This process's running scans that another sampler has marked interrupted: they stop at the next file.
    private let interruptedElsewhere = Mutex<Set<String>>([])
    /// The most scans that run in the background at once.
    static let maxBackgroundScans = 2
    /// The `Retry-After` of a 429 `too_many_scans`, in seconds.
    static let retryAfterSeconds = 10
    /// Seconds between two progress lines of one scan in the log.
    static let progressLogInterval: TimeInterval = 10

    /// Opens the store and prepares the service.
    /// - Throws: when the SQLite database cannot be opened or migrated.
    public init(configuration: SamplerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        store = try SamplerStore(path: configuration.databasePath)
        guardrail = PathGuard(roots: configuration.roots)
        _ = ScanOwner.currentSince  // fixed now where /proc cannot say when this process started
        let interrupted = try store.interruptAbandonedScans()
        if !interrupted.isEmpty {
            logger.info(
                "marked scans whose sampler stopped as interrupted",
                ["scans": interrupted.joined(separator: ",")])
        }
        startHeartbeat()
    }

    /// Writes a heartbeat with the progress of this process's running scans every
    /// `ScanOwner.heartbeatInterval`, so that other samplers on the same database leave them alone and can
    /// report how far they have come; the thread ends with the service.
    private func startHeartbeat() {
        let thread = Thread { [weak self] in
            while true {
                Thread.sleep(forTimeInterval: ScanOwner.heartbeatInterval)
                guard let self else { return }
                let scans = runningScans.withLock { $0 }
                guard !scans.isEmpty else { continue }
                do {
                    let gone = try store.heartbeat(scans)
                    if !gone.isEmpty { interruptedElsewhere.withLock { $0.formUnion(gone) } }
                } catch {
                    logger.error(
                        "scan heartbeat not stored",
                        ["scans": scans.keys.sorted().joined(separator: ","), "error": "\(error)"])
                }
            }
        }
        thread.name = "scan-heartbeat"
        thread.start()
    }

    /// Starts a scan in the store and counts it among this process's running scans in one step, so that
    /// `reclaimIfAbandoned` never sees it in between.
    private func beginScan(dataset: String, manifest: String?) throws -> String {
        try runningScans.withLock { running in
            let scanID = try store.beginScan(dataset: dataset, manifest: manifest)
            running[scanID] = ScanProgress(filesDone: 0, filesTotal: nil)
            metrics.scansRunning(running.count)
            return scanID
        }
    }

    /// Marks a scan that is `running` in the store but not in this process as interrupted when its own
    /// process has gone (see `ScanOwner`); true when it did.
    private func reclaimIfAbandoned(_ scanID: String) throws -> Bool {
        let interrupted = try runningScans.withLock { running in
            running[scanID] == nil ? try store.interruptAbandonedScans(only: scanID) : []
        }
        guard !interrupted.isEmpty else { return false }
        logger.info("marked a scan whose sampler stopped as interrupted", ["scan_id": scanID])
        metrics.scanEnded(.interrupted)
        return true
    }

    /// Starts recording the sampler's own metrics (scans, images, samples) into the server's registry.
    public func attach(metrics registry: Metrics) {
        metrics.attach(registry)
    }

    /// Extra `/healthz` fields.
    public func health() -> [String: String] {
        [
            "roots": "\(configuration.roots.count)", "scans": "\((try? store.scanCount()) ?? 0)",
            "scans_running": "\(runningScans.withLock(\.count))",
        ]
    }

    /// Scans a dataset (and optional manifest) and stores the verdicts. Paths are checked first, so a bad
    /// request fails at once; then the scan either runs within the call and the finished scan is returned, or,
    /// with `background`, runs on its own thread and the `running` scan is returned for polling.
    /// - Throws: `ServiceError` 403/404/400 for paths, 429 `too_many_scans` when `maxBackgroundScans` are
    ///   already running in the background.
    public func scan(_ request: ScanRequest) throws -> ScanDocument {
        let dataset = try guardrail.resolve(request.dataset, what: "dataset")
        guard PathGuard.isDirectory(dataset) else {
            throw ServiceError.badRequest("invalid_path", "the dataset must be a folder")
        }
        var manifest: Manifest?
        var manifestPath: String?
        if let path = request.manifest {
            let resolved = try guardrail.resolve(path, what: "manifest")
            manifest = try Manifest(contentsOf: URL(fileURLWithPath: resolved), options: request.manifestOptions)
            manifestPath = resolved
        }
        let root = URL(fileURLWithPath: dataset).standardizedFileURL.resolvingSymlinksInPath()

        guard request.background == true else {
            let scanID = try beginScan(dataset: root.path, manifest: manifestPath)
            try runScan(scanID, directory: root, manifest: manifest)
            return try scanDocument(scanID)
        }
        let scanID = try backgroundScans.withLock { background in
            guard background.count < Self.maxBackgroundScans else {
                throw ServiceError(
                    status: 429, code: "too_many_scans",
                    message: "\(Self.maxBackgroundScans) background scans are already running; "
                        + "try again when one is done")
            }
            let scanID = try beginScan(dataset: root.path, manifest: manifestPath)
            background.insert(scanID)
            return scanID
        }
        let thread = Thread { [self, manifest] in
            defer { backgroundScans.withLock { _ = $0.remove(scanID) } }
            _ = try? runScan(scanID, directory: root, manifest: manifest)
        }
        thread.name = "scan-\(scanID)"
        thread.start()
        return ScanDocument(
            scanID: scanID, dataset: root.path, status: .running, progress: ScanProgress(filesDone: 0, filesTotal: nil))
    }

    /// A stored or running scan: its progress while it runs, its images once it is done.
    /// - Throws: `ServiceError` 404 `scan_not_found`.
    public func scanDocument(_ scanID: String) throws -> ScanDocument {
        guard let record = try currentRecord(scanID) else {
            throw ServiceError.notFound("scan_not_found", "no scan with id '\(scanID)'")
        }
        switch record.status {
        case .done:
            let images = try store.scanImages(scanID) ?? []
            // The files the scan went through, skipped ones included, as its progress counted them.
            return ScanDocument(
                scanID: scanID, dataset: record.dataset, status: .done,
                progress: record.progress ?? ScanProgress(filesDone: images.count, filesTotal: images.count),
                counts: VerdictCounts(images), images: images, notes: record.notes)
        case .running:
            // This process's own scans report their live progress; one run by another sampler on this
            // database, or one that finished between reading its record and this lookup, reports the progress
            // stored with its last heartbeat.
            let progress =
                runningScans.withLock { $0[scanID] } ?? record.progress ?? ScanProgress(filesDone: 0, filesTotal: nil)
            return ScanDocument(scanID: scanID, dataset: record.dataset, status: .running, progress: progress)
        case .failed, .interrupted:
            // How far it came by its owner's last heartbeat.
            return ScanDocument(
                scanID: scanID, dataset: record.dataset, status: record.status,
                progress: record.progress ?? ScanProgress(filesDone: 0, filesTotal: nil), error: record.error)
        }
    }

    /// A stored scan's state, a running scan whose process has gone first marked as interrupted.
    private func currentRecord(_ scanID: String) throws -> SamplerStore.ScanRecord? {
        guard let record = try store.scanRecord(scanID) else { return nil }
        guard record.status == .running, try reclaimIfAbandoned(scanID) else { return record }
        return try store.scanRecord(scanID)
    }

    /// Reads the files of a begun scan, stores the result and logs progress at most every
    /// `progressLogInterval` seconds; a failure is stored as the scan's error, logged and rethrown.
    private func runScan(_ scanID: String, directory: URL, manifest: Manifest?) throws {
        defer {
            runningScans.withLock { running in
                running.removeValue(forKey: scanID)
                metrics.scansRunning(running.count)
            }
            interruptedElsewhere.withLock { _ = $0.remove(scanID) }
        }
        var lastLog = Date()
        do {
            let scanner = DatasetScanner(maxImageBytes: configuration.maxImageBytes)
            let scan = try scanner.scan(directory: directory, manifest: manifest) { done, total in
                runningScans.withLock { $0[scanID] = ScanProgress(filesDone: done, filesTotal: total) }
                guard done < total, Date().timeIntervalSince(lastLog) >= Self.progressLogInterval else { return }
                lastLog = Date()
                logger.info("scan progress", ["scan_id": scanID, "files_done": "\(done)", "files_total": "\(total)"])
            } shouldStop: {
                interruptedElsewhere.withLock { $0.contains(scanID) }
            }
            try store.finishScan(scanID, with: scan)
            metrics.scanned(scan)
            metrics.scanEnded(.done)
            let counts = scan.counts
            logger.info(
                "scan stored",
                [
                    "scan_id": scanID, "images": "\(scan.images.count)", "real": "\(counts.real)",
                    "ai": "\(counts.ai)", "unknown": "\(counts.unknown)",
                ])
        } catch let error as ServiceError where error.code == "scan_interrupted" {
            // Another sampler judged this process gone (a pause past the heartbeat's limit) and marked the scan
            // interrupted; that verdict stands and was counted there.
            logger.warning(
                "scan stopped: another sampler marked it interrupted", ["scan_id": scanID, "error": error.message])
            throw error
        } catch {
            let reason = (error as? ServiceError)?.message ?? "the scan could not be stored"
            try? store.failScan(scanID, reason: reason)
            metrics.scanEnded(.failed)
            logger.error("scan failed", ["scan_id": scanID, "error": reason])
            throw error
        }
    }

    /// Draws and stores a sample of the scan's real photos.
    public func drawSample(_ request: SampleRequest) throws -> SampleDocument {
        guard (1...1_000_000).contains(request.count) else {
            throw ServiceError.badRequest("invalid_parameter", "count must be between 1 and 1000000")
        }
        guard let record = try currentRecord(request.scanID), let images = try store.scanImages(request.scanID)
        else {
            throw ServiceError.notFound("scan_not_found", "no scan with id '\(request.scanID)'")
        }
        guard record.status == .done else {
            let id = request.scanID
            throw ServiceError.conflict(
                "scan_not_ready",
                record.status == .running
                    ? "scan \(id) is still running; draw a sample once GET /v1/scans/\(id) says done"
                    : "scan \(id) \(record.status.rawValue) and has no images; scan the dataset again")
        }
        let verdicts = Array(Set(request.verdicts ?? [.real])).sorted { $0.rawValue > $1.rawValue }
        guard !verdicts.isEmpty else {
            throw ServiceError.badRequest(
                "invalid_parameter", "verdicts is an empty list; name real, unknown or both, or leave it out for real")
        }
        guard !verdicts.contains(.ai) else {
            throw ServiceError.badRequest(
                "invalid_parameter", "verdicts may name real and unknown; AI-generated images are never sampled")
        }
        let eligible = images.filter { verdicts.contains($0.verdict) }
        let draw = ReproducibleSampler.sample(eligible, count: request.count, seed: request.seed) { $0.file }
        let sampleID = try store.saveSample(
            scanID: request.scanID, count: request.count, seed: request.seed, verdicts: verdicts, note: draw.note,
            imageIDs: draw.items.map(\.id))
        metrics.sampleDrawn(images: draw.items.count)
        return SampleDocument(
            sampleID: sampleID, scanID: request.scanID, count: request.count, seed: request.seed,
            verdicts: verdicts, note: draw.note,
            images: draw.items.map { .init(id: $0.id, file: $0.file, sha256: $0.sha256, size: $0.size) })
    }

    /// A stored sample.
    public func sample(_ sampleID: String) throws -> SampleDocument {
        guard let sample = try store.sample(sampleID) else {
            throw ServiceError.notFound("sample_not_found", "no sample with id '\(sampleID)'")
        }
        return sample
    }

    /// The bytes and content type of a scanned image, re-checked against the roots and against the SHA-256
    /// recorded by the scan.
    /// - Throws: `ServiceError` 404 `image_not_found`, 403 `outside_roots`, or 409 `image_changed` when the
    ///   file's bytes are no longer those that were scanned.
    public func imageBytes(_ imageID: String) throws -> (bytes: [UInt8], contentType: String) {
        let (path, image) = try imagePath(imageID)
        let bytes: [UInt8]
        switch NoFollowReader.read(canonicalPath: path, maxBytes: configuration.maxImageBytes) {
        case .bytes(let read): bytes = read
        case .tooLarge, .changing: bytes = []  // not the scanned bytes: its SHA-256 no longer matches
        case .unreadable: throw ServiceError.notFound("image_not_found", "the image file is no longer readable")
        }
        guard SHA256.hex(bytes) == image.sha256 else {
            throw ServiceError.conflict(
                "image_changed", "the file changed since it was scanned; scan the dataset again")
        }
        let contentType =
            switch MetadataReader.detectFormat(bytes) {
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            case .webp: "image/webp"
            case nil: "application/octet-stream"
            }
        return (bytes, contentType)
    }

    /// The sidecar caption beside a scanned image (`photo.jpg` → `photo.txt`), or nil when there is none.
    public func sidecarText(_ imageID: String) throws -> String? {
        let imageFile = try imagePath(imageID).path
        let sidecar = (imageFile as NSString).deletingPathExtension + ".txt"
        guard let canonical = PathGuard.canonicalPath(sidecar), guardrail.contains(canonical),
            case .bytes(let text) = NoFollowReader.read(canonicalPath: canonical, maxBytes: Self.maxSidecarBytes)
        else { return nil }
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The canonical path of a stored image and its scan record, refused when it now leads outside the roots
    /// (403, whether or not the file still exists) and 404 when it no longer exists.
    private func imagePath(_ imageID: String) throws -> (path: String, image: ScannedImage) {
        guard let stored = try store.image(imageID) else {
            throw ServiceError.notFound("image_not_found", "no image with id '\(imageID)'")
        }
        switch guardrail.locate(stored.dataset + "/" + stored.image.file) {
        case .outside:
            throw PathGuard.outsideRoots("image")
        case .inside(let canonical) where PathGuard.isRegularFile(canonical):
            return (canonical, stored.image)
        case .inside, .missing:
            throw ServiceError.notFound("image_not_found", "the image file no longer exists")
        }
    }
}
