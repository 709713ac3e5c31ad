import CaptionerService
import Foundation
import SamplerService
import Shared

/// Drives the three services over HTTP through one pipeline run: scan → sample → caption → build.
///
/// Every step is a call to a running service, exactly as in production; the driver holds no state of
/// its own beyond the ids the services hand back.
public struct PipelineDriver: Sendable {
    /// What to run the pipeline over.
    public struct Request: Sendable {
        /// The dataset folder, as the sampler sees it.
        public var dataset: String
        /// An optional CSV manifest, as the sampler sees it.
        public var manifest: String?
        /// The manifest's columns and label values; the Kaggle "AI vs human-generated" layout when nil.
        public var manifestOptions: ManifestOptions?
        /// How many photos to sample.
        public var count: Int
        /// The sample's seed: the same dataset, count and seed give the same sample.
        public var seed: UInt64
        /// Verdicts the sample draws from; `[.real]` unless photos without any marker are wanted too.
        public var verdicts: [ProvenanceVerdict]
        /// Ranking methods to build into the model; every method the recommender can build when nil.
        public var methods: [String]?

        /// Creates a request with the original project's defaults for everything but the dataset.
        public init(
            dataset: String, manifest: String? = nil, manifestOptions: ManifestOptions? = nil, count: Int = 100,
            seed: UInt64 = 42, verdicts: [ProvenanceVerdict] = [.real], methods: [String]? = nil
        ) {
            self.dataset = dataset
            self.manifest = manifest
            self.manifestOptions = manifestOptions
            self.count = count
            self.seed = seed
            self.verdicts = verdicts
            self.methods = methods
        }
    }

    /// What one run produced.
    public struct Outcome: Sendable {
        public var scanID: String
        public var counts: VerdictCounts
        public var sampleID: String
        public var sampled: Int
        public var sampleNote: String?
        public var jobID: String
        public var captioned: Int
        public var failed: Int
        public var modelSummary: [String: String]
    }

    public let sampler: HTTPClient
    public let captioner: HTTPClient
    public let recommender: HTTPClient
    /// Where progress lines go.
    public let progress: @Sendable (String) -> Void
    /// How long to wait between job-progress polls.
    public var pollInterval: Double = 0.25

    /// Creates a driver for services at the given base URLs.
    public init(
        samplerURL: String, captionerURL: String, recommenderURL: String,
        progress: @escaping @Sendable (String) -> Void
    ) {
        sampler = HTTPClient(baseURL: samplerURL, service: "sampler")
        captioner = HTTPClient(baseURL: captionerURL, service: "captioner", timeoutSeconds: 120)
        recommender = HTTPClient(baseURL: recommenderURL, service: "recommender", timeoutSeconds: 600)
        self.progress = progress
    }

    /// Runs scan → sample → caption → build and returns what each step produced.
    /// - Throws: `ServiceError` from the first step that failed, naming the service.
    public func run(_ request: Request) throws -> Outcome {
        progress("scan: \(request.dataset)")
        let options = request.manifestOptions
        let scanRequest = ScanRequest(
            dataset: request.dataset, manifest: request.manifest, manifestFileColumn: options?.fileColumn,
            manifestLabelColumn: options?.labelColumn, manifestRealValues: options?.realValues,
            manifestAIValues: options?.aiValues, background: true)
        let started = try sampler.postJSON("/v1/scans", body: scanRequest, as: ScanDocument.self)
        let scan = try waitForScan(started)
        let counts = scan.counts
        progress(
            "scan: \(scan.images.count) images — real \(counts.real), ai \(counts.ai), unknown \(counts.unknown)")

        let sampleRequest = SampleRequest(
            scanID: scan.scanID, count: request.count, seed: request.seed, verdicts: request.verdicts)
        let sample = try sampler.postJSON("/v1/samples", body: sampleRequest, as: SampleDocument.self)
        let drawnFrom = sample.verdicts.map(\.rawValue).joined(separator: "+")
        progress("sample: \(sample.images.count) photos (\(drawnFrom)), seed \(request.seed)")
        if let note = sample.note {
            progress("sample: \(note)")
        }

        let jobRequest = CaptionerService.JobRequest(sampler: sampler.baseURL, sampleID: sample.sampleID)
        let created = try captioner.postJSON("/v1/jobs", body: jobRequest, as: CaptionJob.self)
        let job = try waitForJob(created.id)

        let build = ModelRequest(
            captioner: captioner.baseURL, jobID: job.id, sampler: sampler.baseURL, methods: request.methods)
        progress("build: \(request.methods?.joined(separator: ", ") ?? "every method the recommender can build")")
        let model = try recommender.postJSON("/v1/models", body: build, as: ModelResponse.self)
        let summary = model.summary
        progress(
            "build: \(summary["images"] ?? "?") images, methods \(summary["methods"] ?? "?") "
                + "(default \(summary["default_method"] ?? "?")) → \(summary["path"] ?? "model file")")
        if let unavailable = summary["unavailable_methods"], !unavailable.isEmpty {
            progress("build: not built (model files missing, see scripts/setup_models.sh): \(unavailable)")
        }

        return Outcome(
            scanID: scan.scanID, counts: scan.counts, sampleID: sample.sampleID, sampled: sample.images.count,
            sampleNote: sample.note, jobID: job.id, captioned: job.done, failed: job.failed,
            modelSummary: model.summary)
    }

    /// Polls a background scan until it is done, reporting its progress at most once a second.
    private func waitForScan(_ started: ScanDocument) throws -> ScanDocument {
        var scan = started
        var lastReport = Date.distantPast
        while true {
            switch scan.status {
            case .done:
                return scan
            case .failed, .interrupted:
                throw ServiceError.badGateway(
                    "scan_failed", "scan \(scan.scanID) \(scan.status.rawValue): \(scan.error ?? "no reason given")")
            case .running:
                if let total = scan.progress.filesTotal, Date().timeIntervalSince(lastReport) >= 1 {
                    lastReport = Date()
                    progress("scan: \(scan.progress.filesDone)/\(total) files read")
                }
                Thread.sleep(forTimeInterval: pollInterval)
                scan = try sampler.getJSON("/v1/scans/\(scan.scanID)", as: ScanDocument.self)
            }
        }
    }

    /// Polls a captioning job until it ends, printing a progress line whenever the count moves.
    private func waitForJob(_ id: String) throws -> CaptionJob {
        var lastReported = -1
        while true {
            let job = try captioner.getJSON("/v1/jobs/\(id)", as: CaptionJob.self)
            if job.total > 0, job.done + job.failed != lastReported {
                lastReported = job.done + job.failed
                progress("caption: \(job.done)/\(job.total) done, \(job.failed) failed [\(job.status)]")
            }
            switch job.status {
            case .done:
                return job
            case .failed:
                throw ServiceError.badGateway(
                    "caption_job_failed", "captioning job \(id) failed: \(job.error ?? "no reason given")")
            case .queued, .running:
                Thread.sleep(forTimeInterval: pollInterval)
            }
        }
    }
}
